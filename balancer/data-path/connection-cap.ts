// HAProxy's `maxconn` for the data port: at most `max` client connections are
// served at once. Node cannot pause accept() on a listening socket short of
// closing it (then new clients would get ECONNREFUSED, and the port could be
// lost), so the excess cannot wait in the kernel backlog: each connection over
// the cap is answered 503 JSON at once and closed. That costs a parse and a
// short write, far less than proxying, and the client learns why.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export class ConnectionCap {
  /** Client connections open now. */
  open = 0;
  private readonly over = new WeakSet<Socket>();
  private overOpen = 0;

  constructor(readonly max: number) {}

  attach(server: Server): void {
    server.on('connection', this.onConnection);
  }

  /** True for a connection accepted while `max` others were open: its requests get 503. */
  isOver(socket: Socket): boolean {
    return this.overOpen > 0 && this.over.has(socket);
  }

  private readonly onConnection = (socket: Socket): void => {
    this.open++;
    if (this.open > this.max) {
      this.over.add(socket);
      this.overOpen++;
      socket.once('close', this.onOverClose);
    } else socket.once('close', this.onClose);
  };

  private readonly onClose = (): void => {
    this.open--;
  };

  private readonly onOverClose = (): void => {
    this.open--;
    this.overOpen--;
  };
}
