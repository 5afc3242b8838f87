import { IssuedToken, ResourceActions, signRegistryToken } from '@harbor/auth';

export interface TokenSignerOptions {
  privateKey: string;
  publicKey: string;
  issuer: string;
  audience: string;
  expirationMinutes: number;
  now?: () => Date;
}

/** Holds the token keys and signs registry tokens with them; the only user of the private key. */
export class TokenSigner {
  constructor(private readonly options: TokenSignerOptions) {}

  /** `expirationMinutes` overrides the configured lifetime (token_expiration changed at run time). */
  sign(subject: string, access: ResourceActions[], expirationMinutes = this.options.expirationMinutes): IssuedToken {
    return signRegistryToken({
      privateKey: this.options.privateKey,
      publicKey: this.options.publicKey,
      issuer: this.options.issuer,
      audience: this.options.audience,
      subject,
      access,
      expiresInSeconds: expirationMinutes * 60,
      now: this.options.now?.(),
    });
  }

  get audience(): string {
    return this.options.audience;
  }
}
