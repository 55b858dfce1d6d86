/**
 * Server-sent events as OpenAI streams them: `data: <json>` events separated by a blank
 * line, ended by `data: [DONE]`. Fed text as it arrives; yields the data of whole events.
 */
export const SSE_DONE = '[DONE]';

export class SseParser {
  private pending = '';

  /** The data of every event completed by this text (multi-line data joined with "\n"). */
  push(text: string): string[] {
    this.pending += text;
    const events: string[] = [];
    for (;;) {
      const end = /\r?\n\r?\n/.exec(this.pending);
      if (!end) break;
      const block = this.pending.slice(0, end.index);
      this.pending = this.pending.slice(end.index + end[0].length);
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''));
      if (data.length > 0) events.push(data.join('\n'));
    }
    return events;
  }
}
