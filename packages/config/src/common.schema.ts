import { z } from 'zod';

/** Where a service listens. Native installs bind internal services to 127.0.0.1; compose binds 0.0.0.0. */
export const listenSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
});

/** How a service reaches the log collector. */
export const logSinkSchema = z.object({
  /** The syslog APP-NAME and the log file name (`<service>.log`). */
  service: z.string().regex(/^[a-z][a-z0-9-]*$/),
  level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  syslog: z
    .object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), protocol: z.enum(['udp', 'tcp']).default('udp') })
    .nullable(),
  /** Also write to stdout (the supervisor and compose keep it). */
  stdout: z.boolean().default(true),
});

export const databaseSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  password: z.string(),
  database: z.string().regex(/^[A-Za-z0-9_]+$/),
  /** Upper bound on pooled connections per process: Harbor's connection storms come from unbounded pools. */
  maxConnections: z.number().int().min(1).max(500).default(20),
});

/** The JWT token contract shared by the token service (core) and its verifier (registry). */
export const tokenSchema = z.object({
  issuer: z.string().min(1),
  service: z.string().min(1),
  publicKeyPath: z.string().min(1),
});

export type Listen = z.infer<typeof listenSchema>;
export type LogSink = z.infer<typeof logSinkSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type TokenVerifyConfig = z.infer<typeof tokenSchema>;
