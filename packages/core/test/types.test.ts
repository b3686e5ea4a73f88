import { expectTypeOf } from 'expect-type';
import * as t from 'io-ts';
import { Observable, of } from 'rxjs';
import {
  act,
  bindEagerlyTo,
  bindTo,
  BoundDependency,
  ContextProvider,
  createContextToken,
  createEvent,
  createReader,
  Effect,
  Event,
  event,
  EventMetadata,
  EventsUnion,
  eventValidator$,
  matchEvent,
  use,
  useContext,
  useContextAsync,
} from '@tributary/core';

/*
 * Type inference tests: they are type-checked by `tsc -p tsconfig.check.json`; at run time
 * they only assert that the values they build are what the types claim.
 */

const User = t.type({ name: t.string, age: t.number });
type User = t.TypeOf<typeof User>;
const UserCreated = event('UserCreated')(User);
const Ping = event('Ping')();
const OrderShipped = createEvent('OrderShipped', (orderId: string, carrier?: string) => ({ orderId, carrier }));
const Tick = createEvent('Tick');

const input$ = of<Event>({ type: 'UserCreated', payload: { name: 'Ann', age: 31 } });

describe('types: event()', () => {
  test('knows its type literal, creates typed events and decodes to them', () => {
    expectTypeOf(UserCreated.type).toEqualTypeOf<'UserCreated'>();
    expectTypeOf(UserCreated.create).parameter(0).toEqualTypeOf<User>();
    expectTypeOf(UserCreated.create).parameter(1).toEqualTypeOf<EventMetadata | undefined>();
    expectTypeOf(UserCreated.create({ name: 'Ann', age: 31 })).toMatchObjectType<{ type: 'UserCreated'; payload: User }>();
    expectTypeOf<t.TypeOf<typeof UserCreated>>().toEqualTypeOf<{ type: 'UserCreated'; payload: User }>();
    // @ts-expect-error the payload is checked
    UserCreated.create({ name: 'Ann' });
    expect(UserCreated.create({ name: 'Ann', age: 31 }).type).toBe('UserCreated');
  });

  test('an event without payload codec needs no payload', () => {
    expectTypeOf(Ping.type).toEqualTypeOf<'Ping'>();
    expectTypeOf(Ping.create).toBeCallableWith();
    expectTypeOf(Ping.create()).toMatchObjectType<{ type: 'Ping'; payload: undefined }>();
    expect(Ping.create()).toEqual({ type: 'Ping', payload: undefined });
  });
});

describe('types: createEvent()', () => {
  test('keeps the type literal and the payload creator signature', () => {
    expectTypeOf(OrderShipped.type).toEqualTypeOf<'OrderShipped'>();
    expectTypeOf(OrderShipped).parameters.toEqualTypeOf<[orderId: string, carrier?: string]>();
    expectTypeOf(OrderShipped('o-1')).toMatchObjectType<{ type: 'OrderShipped'; payload: { orderId: string; carrier: string | undefined } }>();
    // @ts-expect-error arguments are checked
    OrderShipped(1);
    expectTypeOf(Tick).parameters.toEqualTypeOf<[]>();
    expectTypeOf(Tick()).toMatchObjectType<{ type: 'Tick'; payload: undefined }>();
    expect(OrderShipped('o-1').payload.orderId).toBe('o-1');
  });

  test('EventsUnion gives the union of the created events', () => {
    const creators = { shipped: OrderShipped, tick: Tick };
    type Union = EventsUnion<typeof creators>;
    expectTypeOf<Union['type']>().toEqualTypeOf<'OrderShipped' | 'Tick'>();
    const e: Union = creators.tick();
    expect(e.type).toBe('Tick');
  });
});

describe('types: matchEvent()', () => {
  test('a type string narrows the type', () => {
    const out$ = input$.pipe(matchEvent('UserCreated'));
    expectTypeOf(out$).toEqualTypeOf<Observable<Event<unknown, any, 'UserCreated'> & { metadata: EventMetadata }>>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('several type strings narrow to the union of their types', () => {
    const out$ = input$.pipe(matchEvent('A', 'B'));
    expectTypeOf<Observable<'A' | 'B'>>().toEqualTypeOf<typeof out$ extends Observable<infer E extends Event> ? Observable<E['type']> : never>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('a { type } object narrows to its type (as const)', () => {
    const out$ = input$.pipe(matchEvent({ type: 'X' } as const));
    expectTypeOf(out$).toEqualTypeOf<Observable<Event<unknown, any, 'X'> & { metadata: EventMetadata }>>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('an event() codec narrows to the decoded event', () => {
    const out$ = input$.pipe(matchEvent(UserCreated));
    expectTypeOf(out$).toEqualTypeOf<Observable<{ type: 'UserCreated'; payload: User } & { metadata: EventMetadata }>>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('a createEvent creator narrows to the created event', () => {
    const out$ = input$.pipe(matchEvent(OrderShipped));
    type Out = typeof out$ extends Observable<infer E> ? E : never;
    expectTypeOf<Out['type']>().toEqualTypeOf<'OrderShipped'>();
    expectTypeOf<Out['payload']>().toEqualTypeOf<{ orderId: string; carrier: string | undefined }>();
    expectTypeOf<Out['metadata']>().toEqualTypeOf<EventMetadata>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('mixed matchers narrow to a discriminated union', () => {
    const out$ = input$.pipe(matchEvent(UserCreated, OrderShipped, 'Other'));
    type Out = typeof out$ extends Observable<infer E> ? E : never;
    expectTypeOf<Out['type']>().toEqualTypeOf<'UserCreated' | 'OrderShipped' | 'Other'>();
    const handle = (e: Out) => {
      if (e.type === 'UserCreated') expectTypeOf(e.payload).toEqualTypeOf<User>();
      if (e.type === 'OrderShipped') expectTypeOf(e.payload.orderId).toEqualTypeOf<string>();
    };
    expect(out$).toBeInstanceOf(Observable);
    expect(handle).toBeInstanceOf(Function);
  });

  test('a plain io-ts codec of a whole event narrows to its decoded type', () => {
    const Refund = t.type({ type: t.literal('Refund'), payload: t.type({ amount: t.number }) });
    const out$ = input$.pipe(matchEvent(Refund));
    expectTypeOf(out$).toEqualTypeOf<Observable<{ type: 'Refund'; payload: { amount: number } } & { metadata: EventMetadata }>>();
    // @ts-expect-error a codec that is not of a whole event is no matcher
    const notAMatcher = () => matchEvent(t.type({ amount: t.number }));
    expect(notAMatcher).toBeInstanceOf(Function);
    expect(out$).toBeInstanceOf(Observable);
  });

  test('matchEvent needs at least one matcher', () => {
    // @ts-expect-error no matcher
    const empty = () => matchEvent();
    expect(empty).toBeInstanceOf(Function);
  });
});

describe('types: act()', () => {
  test('infers the output from Observable, Promise, single and array results', () => {
    const fromObservable$ = input$.pipe(act(() => of({ type: 'A' as const })));
    const fromPromise$ = input$.pipe(act(async () => ({ type: 'B' as const })));
    const fromValue$ = input$.pipe(act(() => ({ type: 'C' as const })));
    const fromArray$ = input$.pipe(act(() => [{ type: 'D' as const }]));
    const maybe$ = input$.pipe(act(e => (e.payload ? { type: 'E' as const } : undefined)));
    const asyncMaybe$ = input$.pipe(act(async e => (e.payload ? { type: 'F' as const } : undefined)));
    expectTypeOf(fromObservable$).toEqualTypeOf<Observable<{ type: 'A' }>>();
    expectTypeOf(fromPromise$).toEqualTypeOf<Observable<{ type: 'B' }>>();
    expectTypeOf(fromValue$).toEqualTypeOf<Observable<{ type: 'C' }>>();
    expectTypeOf(fromArray$).toEqualTypeOf<Observable<{ type: 'D' }>>();
    expectTypeOf(maybe$).toEqualTypeOf<Observable<{ type: 'E' }>>();
    expectTypeOf(asyncMaybe$).toEqualTypeOf<Observable<{ type: 'F' }>>();
    expect(fromValue$).toBeInstanceOf(Observable);
  });

  test('fn gets the matched event type; errorFn gets the error and the event', () => {
    const out$ = input$.pipe(
      matchEvent(UserCreated),
      act(
        e => {
          expectTypeOf(e.payload).toEqualTypeOf<User>();
          return of({ type: 'Greeted' as const, payload: e.payload.name });
        },
        (error, e) => {
          expectTypeOf(error).toBeAny();
          expectTypeOf(e.type).toEqualTypeOf<'UserCreated'>();
          return of({ type: 'GreetFailed' as const, error });
        },
      ),
    );
    type Out = typeof out$ extends Observable<infer E> ? E : never;
    expectTypeOf<Out['type']>().toEqualTypeOf<'Greeted' | 'GreetFailed'>();
    expect(out$).toBeInstanceOf(Observable);
  });
});

describe('types: eventValidator$()', () => {
  test('with act and a payload codec: the payload is decoded, the rest kept', () => {
    const out$ = input$.pipe(matchEvent('UserCreated'), act(eventValidator$(User)));
    type Out = typeof out$ extends Observable<infer E> ? E : never;
    expectTypeOf<Out['payload']>().toEqualTypeOf<User>();
    expectTypeOf<Out['type']>().toEqualTypeOf<'UserCreated'>();
    expectTypeOf<Out['metadata']>().toEqualTypeOf<EventMetadata>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('with act and an event() codec: the decoded event', () => {
    const out$ = input$.pipe(matchEvent(UserCreated), act(eventValidator$(UserCreated)));
    expectTypeOf(out$).toEqualTypeOf<Observable<{ type: 'UserCreated'; payload: User } & { metadata: EventMetadata }>>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('called directly on an event or on a stream', () => {
    const validate = eventValidator$(User);
    const one = validate({ type: 'A' as const, payload: 1 as unknown });
    const many = validate(of({ type: 'B' as const }));
    expectTypeOf(one).toEqualTypeOf<Observable<Omit<{ type: 'A'; payload: unknown }, 'payload'> & { payload: User; metadata: EventMetadata }>>();
    type Many = typeof many extends Observable<infer E> ? E : never;
    expectTypeOf<Many['type']>().toEqualTypeOf<'B'>();
    expectTypeOf<Many['payload']>().toEqualTypeOf<User>();
    expect(many).toBeInstanceOf(Observable);
  });

  test('with use and an event() codec: the stream is of decoded events', () => {
    const out$ = input$.pipe(matchEvent(UserCreated), use(eventValidator$(UserCreated)));
    expectTypeOf(out$).toEqualTypeOf<Observable<{ type: 'UserCreated'; payload: User } & { metadata: EventMetadata }>>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('with use and a payload codec', () => {
    const out$ = input$.pipe(matchEvent('UserCreated'), use(eventValidator$(User)));
    type Out = typeof out$ extends Observable<infer E> ? E : never;
    expectTypeOf<Out['payload']>().toEqualTypeOf<User>();
    expectTypeOf<Out['type']>().toEqualTypeOf<'UserCreated'>();
    expect(out$).toBeInstanceOf(Observable);
  });

  test('in an effect', () => {
    const greet$: Effect<Event, Event> = event$ =>
      event$.pipe(
        matchEvent(UserCreated),
        act(eventValidator$(UserCreated)),
        act(e => ({ type: 'Greeted', payload: `hi ${e.payload.name}` })),
      );
    expectTypeOf(greet$).returns.toEqualTypeOf<Observable<Event>>();
    expect(greet$).toBeInstanceOf(Function);
  });
});

describe('types: context', () => {
  test('tokens carry their type to bindings and lookups', () => {
    const Port = createContextToken<number>('Port');
    const Url = createContextToken<string>('Url');
    expectTypeOf(bindTo(Port)(8080)).toEqualTypeOf<BoundDependency<number>>();
    expectTypeOf(bindEagerlyTo(Url)(async () => 'amqp://')).toEqualTypeOf<BoundDependency<string>>();
    expectTypeOf(bindTo(Url)(createReader(ask => `amqp://h:${useContext(Port)(ask)}`))).toEqualTypeOf<BoundDependency<string>>();
    // @ts-expect-error a value of the wrong type
    bindTo(Port)('8080');
    // @ts-expect-error a reader of the wrong type
    bindTo(Port)(createReader(() => 'x'));
    expectTypeOf(useContext(Port)).returns.toEqualTypeOf<number>();
    expectTypeOf(useContext(Port)).parameter(0).toEqualTypeOf<ContextProvider>();
    expectTypeOf(useContextAsync(Port)).returns.toEqualTypeOf<Promise<number>>();
    expect(bindTo(Port)(1).token).toBe(Port);
  });
});
