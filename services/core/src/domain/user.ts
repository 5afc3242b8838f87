/** A user as the rest of core sees it (the DAO maps rows to this). */
export interface UserRecord {
  userId: number;
  username: string;
  email: string | null;
  realname: string;
  comment: string;
  /** `scrypt$N$r$p$salt$hash`; never leaves the service. */
  passwordHash: string;
  sysadmin: boolean;
  creationTime: Date;
  updateTime: Date;
}
