/**
 * The few Redis commands sessions and login throttling use, as node-redis
 * clients spell them. A narrow seam: the parts that need Redis say exactly
 * which commands, and the client is handed in by main.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  getEx(key: string, options: { PX: number }): Promise<string | null>;
  set(key: string, value: string, options: { PX: number }): Promise<string | null>;
  del(keys: string | string[]): Promise<number>;
  pTTL(key: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}
