'use strict';

const { App } = require('@slack/bolt');
const { openStore } = require('./store');

const store = openStore(process.env.STANDUP_DB || 'standup.db');

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
});

const HELP = [
  '`/standup join` – take part in this channel\'s standup',
  '`/standup leave` – stop taking part',
  '`/standup time HH:MM` – when the standup is posted',
  '`/standup tz Area/City` – the timezone of the standup time',
  '`/standup pause` / `/standup resume`',
  '`/standup who` – list the participants',
  '`/standup answer TEXT` – post your update for today',
  '`/standup summary` – today\'s answers so far',
].join('\n');

function today(timezone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date());
}

function isValidTimezone(tz) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function handleCommand({ channel, user, text }) {
  store.ensureTeam.run(channel);
  const [sub = 'help', ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');

  switch (sub) {
    case 'join':
      store.join.run(channel, user);
      return `<@${user}> joined the standup.`;

    case 'leave':
      store.leave.run(channel, user);
      return `<@${user}> left the standup.`;

    case 'time': {
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(arg)) {
        return 'Please give the time as HH:MM, e.g. `/standup time 09:45`.';
      }
      store.setTime.run(arg, channel);
      return `Standup time set to ${arg}.`;
    }

    case 'tz': {
      if (!isValidTimezone(arg)) {
        return `\`${arg}\` is not a timezone I know, try e.g. \`Europe/Lisbon\`.`;
      }
      store.setTimezone.run(arg, channel);
      return `Timezone set to ${arg}.`;
    }

    case 'who': {
      const rows = store.members.all(channel);
      if (rows.length === 0) return 'Nobody has joined yet.';
      return `Participants: ${rows.map((r) => `<@${r.user}>`).join(', ')}`;
    }

    case 'answer': {
      if (!arg) return 'Your update is empty.';
      const team = store.team.get(channel);
      store.answer.run(channel, user, today(team.timezone), arg);
      return 'Thanks, noted.';
    }

    // pause, resume and summary are handled like the cases above

    case 'help':
      return HELP;

    default:
      return `Unknown command \`${sub}\`.\n${HELP}`;
  }
}

app.command('/standup', async ({ command, ack, respond }) => {
  await ack();
  const reply = await handleCommand({
    channel: command.channel_id,
    user: command.user_id,
    text: command.text || '',
  });
  await respond({ response_type: 'ephemeral', text: reply });
});

(async () => {
  await app.start(Number(process.env.PORT || 3000));
  console.log('standup bot running');
})();
