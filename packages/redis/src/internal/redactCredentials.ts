/** Commands whose arguments carry credentials (`AUTH pass`, `AUTH user pass`, `HELLO 3 AUTH user pass`). */
const SECRET_COMMANDS = new Set(['auth', 'hello', 'migrate']);

/**
 * ioredis attaches the failed command to a `ReplyError` (`error.command = { name, args }`): for
 * `AUTH` that is the password, which would then show wherever the error is logged or inspected
 * (a `BrokerUnavailableError`'s cause). Replaces the arguments of such commands by `***`, in
 * place, for the error and its causes. Returns the error.
 */
export const redactCredentials = <E>(error: E): E => {
  for (let e: any = error, depth = 0; e && typeof e === 'object' && depth < 8; e = e.cause, depth++) {
    const command = e.command;
    if (command && typeof command === 'object' && typeof command.name === 'string' && SECRET_COMMANDS.has(command.name.toLowerCase()) && Array.isArray(command.args)) {
      command.args = command.args.map(() => '***');
    }
  }
  return error;
};
