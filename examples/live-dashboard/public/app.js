// The dashboard page: one WebSocket to /ws. It subscribes to the order events, shows them as
// they come, and sends the order form as a SubmitOrder event. Plain JavaScript, no build step.
(() => {
  'use strict';

  const TYPES = ['OrderCreated', 'PaymentCaptured', 'PaymentDeclined', 'StockReserved', 'OutOfStock', 'CustomerNotified'];
  const $ = id => document.getElementById(id);
  const statusEl = $('status');
  const form = $('order-form');
  const button = $('place-order');
  const result = $('form-result');
  const feed = $('feed');
  const orders = $('orders');
  const count = $('count');

  let socket;
  let retry = 0;
  let seen = 0;
  let nextId = 1;

  const setStatus = (state, text) => {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
    button.disabled = state !== 'open';
  };

  const describe = event => {
    const p = event.payload || {};
    switch (event.type) {
      case 'OrderCreated':
        return `${p.customer} ordered ${p.lines.map(l => `${l.qty} × ${l.sku}`).join(', ')} — ${p.total} €`;
      case 'PaymentCaptured':
        return `charged ${p.amount} €`;
      case 'PaymentDeclined':
        return `payment declined: ${p.reason}`;
      case 'StockReserved':
        return 'items reserved';
      case 'OutOfStock':
        return `"${p.sku}" is out of stock`;
      case 'CustomerNotified':
        return `customer told: “${p.message}”`;
      default:
        return JSON.stringify(p);
    }
  };

  const STEPS = { OrderCreated: 'created', PaymentCaptured: 'paid', PaymentDeclined: 'declined', StockReserved: 'reserved', OutOfStock: 'no stock', CustomerNotified: 'notified' };
  const BAD = new Set(['PaymentDeclined', 'OutOfStock']);

  const orderCard = orderId => {
    let card = orders.querySelector(`[data-order-id="${CSS.escape(orderId)}"]`);
    if (!card) {
      orders.querySelector('.empty')?.remove();
      card = document.createElement('li');
      card.className = 'order';
      card.dataset.orderId = orderId;
      card.innerHTML = '<div class="order-head"><strong></strong><span class="who"></span></div><div class="steps"></div>';
      card.querySelector('strong').textContent = orderId;
      orders.prepend(card);
    }
    return card;
  };

  const showEvent = event => {
    const orderId = event.payload && event.payload.orderId;
    const time = new Date(event.metadata?.timestamp || Date.now()).toLocaleTimeString([], { hour12: false });

    const item = document.createElement('li');
    item.className = `event ${BAD.has(event.type) ? 'bad' : ''}`;
    item.dataset.type = event.type;
    if (orderId) item.dataset.orderId = orderId;
    item.innerHTML = '<time></time><span class="type"></span><span class="order-id"></span><span class="text"></span>';
    item.querySelector('time').textContent = time;
    item.querySelector('.type').textContent = event.type;
    item.querySelector('.order-id').textContent = orderId || '';
    item.querySelector('.text').textContent = describe(event);
    feed.prepend(item);
    while (feed.children.length > 200) feed.lastChild.remove();
    count.textContent = String(++seen);

    if (!orderId) return;
    const card = orderCard(orderId);
    if (event.type === 'OrderCreated') card.querySelector('.who').textContent = describe(event);
    const step = document.createElement('span');
    step.className = `step ${BAD.has(event.type) ? 'bad' : ''}`;
    step.dataset.type = event.type;
    step.textContent = STEPS[event.type] || event.type;
    card.querySelector('.steps').append(step);
  };

  const showResult = (ok, text) => {
    result.className = `result ${ok ? 'ok' : 'bad'}`;
    result.textContent = text;
  };

  const onMessage = message => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event.type === 'subscribed') return setStatus('open', 'live');
    if (event.type === 'OrderAccepted') {
      result.dataset.orderId = event.payload.orderId;
      return showResult(true, `Order ${event.payload.orderId} accepted.`);
    }
    if (event.type === 'OrderRejected' || event.error) {
      return showResult(false, (event.error && event.error.message) || 'The order was refused.');
    }
    if (TYPES.includes(event.type)) showEvent(event);
  };

  const connect = () => {
    setStatus('connecting', 'connecting…');
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    socket.onopen = () => {
      retry = 0;
      socket.send(JSON.stringify({ type: 'subscribe', payload: { types: TYPES } }));
    };
    socket.onmessage = onMessage;
    socket.onclose = event => {
      const delay = Math.min(10000, 500 * 2 ** retry++);
      setStatus('closed', `disconnected (${event.code}${event.reason ? `: ${event.reason}` : ''}), retrying in ${Math.round(delay / 1000)} s`);
      setTimeout(connect, delay);
    };
  };

  form.addEventListener('submit', submit => {
    submit.preventDefault();
    if (!socket || socket.readyState !== WebSocket.OPEN) return showResult(false, 'Not connected.');
    const order = { customer: $('customer').value, sku: $('sku').value, qty: Number($('qty').value) };
    result.className = 'result';
    result.textContent = 'Sending…';
    socket.send(JSON.stringify({ type: 'SubmitOrder', payload: order, metadata: { correlationId: `form-${nextId++}` } }));
  });

  connect();
})();
