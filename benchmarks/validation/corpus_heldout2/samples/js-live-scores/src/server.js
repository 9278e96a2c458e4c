'use strict';

const { WebSocketServer } = require('ws');
const { encodeScore, hasNativeMask } = require('./codec');

const wss = new WebSocketServer({ port: Number(process.env.PORT || 8090) });
const rooms = new Map();

function join(socket, matchId) {
  if (!rooms.has(matchId)) rooms.set(matchId, new Set());
  rooms.get(matchId).add(socket);
  socket.on('close', () => {
    const room = rooms.get(matchId);
    if (!room) return;
    room.delete(socket);
    if (room.size === 0) rooms.delete(matchId);
  });
}

function publish(event) {
  const room = rooms.get(event.matchId);
  if (!room) return 0;
  const frame = encodeScore(event);
  for (const socket of room) {
    if (socket.readyState === socket.OPEN) socket.send(frame);
  }
  return room.size;
}

wss.on('connection', (socket, request) => {
  const url = new URL(request.url, 'http://localhost');
  const matchId = url.searchParams.get('match');
  if (!matchId) {
    socket.close(4000, 'match parameter required');
    return;
  }
  join(socket, matchId);
});

console.log(`live scores on :${wss.options.port} (native masking: ${hasNativeMask})`);

module.exports = { publish };
