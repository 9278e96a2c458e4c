import { createTransport } from 'node:net';

export function smtpMailer({ host, port = 25 }) {
  return {
    async send(to, subject, text) {
      if (!host) throw new Error('smtp host not configured');
      return { to, subject, length: text.length, via: `${host}:${port}`, createTransport };
    },
  };
}

