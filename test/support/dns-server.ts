import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/** A name server on loopback that answers TXT questions from `records`, NXDOMAIN otherwise. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as HOSTNAME_DNS_SERVERS takes it. */
  address: string;
  /** TXT records by lower-case name, each a list of strings. */
  records: Map<string, string[][]>;
  close(): Promise<void>;
}

const TXT = 16;

/**
 * A real DNS server over UDP (RFC 1035 messages), enough for the platform's TXT lookups: one
 * question per query, answers with the question's name compressed to a pointer.
 */
export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, string[][]>();
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query: Buffer, peer: RemoteInfo) => {
    const answer = respond(query, records);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    records,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function respond(query: Buffer, records: Map<string, string[][]>): Buffer | null {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    const length = query[at] ?? 0;
    labels.push(query.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += length + 1;
  }
  const questionEnd = at + 5;
  if (questionEnd > query.length) return null;
  const type = query.readUInt16BE(at + 1);
  const found = type === TXT ? records.get(labels.join('.').toLowerCase()) : undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // A response, recursion desired and available; NXDOMAIN when the name has no records.
  header.writeUInt16BE(found ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(found?.length ?? 0, 6);
  const answers = (found ?? []).map((strings) => {
    const data = Buffer.concat(
      strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])),
    );
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(TXT, 2);
    fixed.writeUInt16BE(1, 4);
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(data.length, 10);
    return Buffer.concat([fixed, data]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}
