import type { Request, Response } from 'express';

/** 200 `{"status":"healthy"}` while Redis answers, 503 `{"status":"unhealthy"}` otherwise. */
export function healthHandler(redisAnswers: () => Promise<boolean>) {
  return async (_req: Request, res: Response): Promise<void> => {
    const healthy = await redisAnswers();
    res.setHeader('Cache-Control', 'no-store');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'healthy' : 'unhealthy' });
  };
}
