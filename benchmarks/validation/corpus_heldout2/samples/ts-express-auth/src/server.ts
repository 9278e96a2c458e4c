import express from 'express';
import { authenticate, requireRole } from './middleware/auth';

const app = express();
app.use(express.json());
app.use((req, res, next) => {
  authenticate(req, res, next).catch(next);
});

app.get('/me', (req, res) => {
  res.json(req.user ?? { anonymous: true });
});

app.delete('/pages/:slug', requireRole('editor'), (req, res) => {
  console.log(`[${req.requestId}] ${req.user?.name} deleted ${req.params.slug}`);
  res.status(204).end();
});

app.listen(Number(process.env.PORT ?? 3000));
