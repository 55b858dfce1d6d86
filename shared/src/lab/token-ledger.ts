/** Tokens billed per attempt under the scenario's cost model, and how many bought no result. */
import type { TokenCostModel } from './scenario.js';

export class TokenLedger {
  private billedInput = 0;
  private billedOutput = 0;
  private wastedInput = 0;
  private wastedOutput = 0;

  constructor(private readonly model: TokenCostModel) {}

  /** An attempt the server computed in full. */
  billCompleted(useful: boolean): void {
    this.bill(this.model.inputTokens, this.model.outputTokens, useful);
  }

  /** A stream that broke after `streamedShare` (0..1) of its output. */
  billBrokenStream(streamedShare: number): void {
    this.bill(this.model.inputTokens, Math.round(this.model.outputTokens * streamedShare), false);
  }

  billServerError(): void {
    if (this.model.billErrors) this.bill(this.model.inputTokens, 0, false);
  }

  billRejected(): void {
    if (this.model.billRejected) this.bill(this.model.inputTokens, 0, false);
  }

  get tokensBilled(): number {
    return this.billedInput + this.billedOutput;
  }

  get tokensWasted(): number {
    return this.wastedInput + this.wastedOutput;
  }

  get costUsd(): number {
    return (this.billedInput * this.model.usdPerMillionInput + this.billedOutput * this.model.usdPerMillionOutput) / 1e6;
  }

  get wastedUsd(): number {
    return (this.wastedInput * this.model.usdPerMillionInput + this.wastedOutput * this.model.usdPerMillionOutput) / 1e6;
  }

  private bill(input: number, output: number, useful: boolean): void {
    this.billedInput += input;
    this.billedOutput += output;
    if (!useful) {
      this.wastedInput += input;
      this.wastedOutput += output;
    }
  }
}
