import cron from 'node-cron';
import { Resend } from 'resend';
import { Repo } from './db/repo';
import { sendDailyDigests } from './jobs/digest';

const repo = new Repo(process.env.TRACKER_DB ?? 'tracker.db');
const resend = new Resend(process.env.RESEND_API_KEY);

cron.schedule('0 7 * * *', () => {
  sendDailyDigests(repo, resend)
    .then((n) => console.log(`sent ${n} digest(s)`))
    .catch((err) => console.error('digest run failed', err));
});
