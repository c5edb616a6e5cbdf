import { SseParser, reconnectDelay } from '../../designer/src/workspace/logic/sse';

describe('SseParser', () => {
  it('parses the events the project stream sends', () => {
    const parser = new SseParser();
    const out = parser.feed(
      'retry: 2000\n\nid: 7\nevent: state\ndata: {"seq":7}\n\n: keep-alive\n\nevent: end\ndata: {"status":"completed"}\n\n',
    );
    expect(out).toEqual([
      { event: 'state', data: '{"seq":7}', lastEventId: '7' },
      { event: 'end', data: '{"status":"completed"}', lastEventId: '7' },
    ]);
    expect(parser.retry).toBe(2000);
    expect(parser.lastEventId).toBe('7');
  });

  it('assembles messages split across chunks anywhere, CRLF included', () => {
    const text = 'id: 3\r\nevent: state\r\ndata: line one\r\ndata: line two\r\n\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const out = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
      expect(out).toEqual([{ event: 'state', data: 'line one\nline two', lastEventId: '3' }]);
    }
  });

  it('accepts lone CR line ends, fields without a colon, and ignores unknown fields', () => {
    const parser = new SseParser();
    expect(parser.feed('data\rfoo: bar\rdata:x\r\r')).toEqual([
      { event: 'message', data: '\nx', lastEventId: '' },
    ]);
  });

  it('dispatches nothing for a block without data and keeps a bad retry out', () => {
    const parser = new SseParser();
    expect(parser.feed('event: state\nretry: soon\n\n')).toEqual([]);
    expect(parser.retry).toBeUndefined();
  });
});

describe('reconnectDelay', () => {
  it('doubles from the server retry and is capped', () => {
    expect(reconnectDelay(0, 2000)).toBe(2000);
    expect(reconnectDelay(2, 2000)).toBe(8000);
    expect(reconnectDelay(10, 2000)).toBe(30_000);
  });
});
