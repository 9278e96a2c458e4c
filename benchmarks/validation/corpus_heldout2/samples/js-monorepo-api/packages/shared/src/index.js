'use strict';

function overlaps(a, b) {
  return a.start < b.end && b.start < a.end;
}

function parseSlot(input) {
  const start = new Date(input.start);
  const end = new Date(input.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new RangeError('start and end must be ISO dates');
  }
  if (end <= start) throw new RangeError('end must be after start');
  return { start, end };
}

module.exports = { overlaps, parseSlot };
