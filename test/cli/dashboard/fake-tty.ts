import { EventEmitter } from 'node:events';

/** A terminal for Ink: collects what is written. */
export class FakeTtyOut extends EventEmitter {
  readonly isTTY = true;
  output = '';
  constructor(
    readonly columns = 80,
    readonly rows = 24,
  ) {
    super();
  }
  write = (chunk: string): boolean => {
    this.output += chunk;
    return true;
  };
}

/** Keyboard input for Ink (raw mode capable). */
export class FakeTtyIn extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(text: string): void {
    this.data = text;
    this.emit('readable');
    this.emit('data', text);
  }
  read = (): string | null => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export function asStdout(stream: FakeTtyOut): NodeJS.WriteStream {
  return stream as unknown as NodeJS.WriteStream;
}

export function asStdin(stream: FakeTtyIn): NodeJS.ReadStream {
  return stream as unknown as NodeJS.ReadStream;
}
