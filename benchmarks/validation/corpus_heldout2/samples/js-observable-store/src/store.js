'use strict';

const { EmitterMixin } = require('./emitter-mixin');

class Store {
  constructor(initial = {}) {
    this.state = { ...initial };
    this.version = 0;
  }

  get(key) {
    return this.state[key];
  }

  set(key, value) {
    if (Object.is(this.state[key], value)) return false;
    const previous = this.state[key];
    this.state = { ...this.state, [key]: value };
    this.version += 1;
    this.emitChange('change', { key, value, previous, version: this.version });
    return true;
  }

  patch(values) {
    const changed = Object.keys(values).filter((k) => !Object.is(this.state[k], values[k]));
    if (changed.length === 0) return [];
    this.state = { ...this.state, ...values };
    this.version += 1;
    this.emitChange('patch', { keys: changed, version: this.version });
    return changed;
  }

  subscribe(key, listener) {
    return this.on('change', (event) => {
      if (event.key === key) listener(event.value, event.previous);
    });
  }
}

Object.assign(Store.prototype, EmitterMixin);

module.exports = { Store };
