import { BatchingExporter } from './base.js';
import { Sample, toText } from './registry.js';

export class ConsoleExporter extends BatchingExporter {
  protected async send(batch: Sample[]): Promise<void> {
    process.stdout.write(toText(batch));
  }

  async close(): Promise<void> {
    await this.flushBuffer();
  }
}

