'use strict';

const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');
const { overlaps, parseSlot } = require('@booking/shared');

const bookings = new Map();

function roomBookings(room) {
  if (!bookings.has(room)) bookings.set(room, []);
  return bookings.get(room);
}

const router = new Router();

router.get('/rooms/:room/bookings', (ctx) => {
  ctx.body = roomBookings(ctx.params.room);
});

router.post('/rooms/:room/bookings', (ctx) => {
  let slot;
  try {
    slot = parseSlot(ctx.request.body || {});
  } catch (err) {
    ctx.status = 400;
    ctx.body = { error: err.message };
    return;
  }
  const existing = roomBookings(ctx.params.room);
  const clash = existing.find((b) => overlaps(b, slot));
  if (clash) {
    ctx.status = 409;
    ctx.body = { error: 'room already booked', clash };
    return;
  }
  const booking = { id: existing.length + 1, ...slot, by: ctx.request.body.by || 'anonymous' };
  existing.push(booking);
  ctx.status = 201;
  ctx.body = booking;
});

const app = new Koa();
app.use(bodyParser());
app.use(router.routes()).use(router.allowedMethods());

if (require.main === module) {
  app.listen(Number(process.env.PORT || 4000));
}

module.exports = { app };
