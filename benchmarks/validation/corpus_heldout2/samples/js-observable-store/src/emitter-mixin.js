'use strict';

// Mixed into several classes that cannot share a base class; each host gets
// its own listener map lazily on first use.
const EmitterMixin = {
  on(event, listener) {
    this._listeners ??= new Map();
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(listener);
    return () => this.off(event, listener);
  },

  off(event, listener) {
    this._listeners?.get(event)?.delete(listener);
  },

  emitChange(event, payload) {
    const listeners = this._listeners?.get(event);
    if (!listeners) return 0;
    for (const listener of [...listeners]) listener(payload);
    return listeners.size;
  },
};

module.exports = { EmitterMixin };
