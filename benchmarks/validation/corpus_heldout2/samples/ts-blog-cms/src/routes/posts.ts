import { Router, type Request, type Response } from 'express';
import { PostService, ValidationError } from '../services/posts';

export function postRoutes(posts: PostService): Router {
  const router = Router();

  router.get('/', async (req: Request, res: Response) => {
    const before = typeof req.query.before === 'string' ? new Date(req.query.before) : undefined;
    if (before && Number.isNaN(before.getTime())) {
      res.status(400).json({ error: 'before must be an ISO date' });
      return;
    }
    res.json(await posts.latest(Number(req.query.limit) || 10, before));
  });

  router.get('/:slug', async (req, res) => {
    const post = await posts.bySlug(req.params.slug);
    if (!post) {
      res.status(404).json({ error: 'no such post' });
      return;
    }
    res.json(post);
  });

  router.post('/', async (req, res) => {
    try {
      res.status(201).json(await posts.create({ ...req.body, authorId: res.locals.userId }));
    } catch (err) {
      if (err instanceof ValidationError) {
        res.status(422).json({ field: err.field, error: err.message });
        return;
      }
      throw err;
    }
  });

  return router;
}
