import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../../../src/protocol/coordinate';
import type { LiveChatMessage } from '../../../../src/protocol/live-chat';
import type { Zap } from '../../../../src/protocol/zap';
import { byTimeThenId, interleave } from './chat-order';

const stream = liveEventCoordinate('a'.repeat(64), 'stream-1');
const message = (id: string, createdAt: number): LiveChatMessage => ({ id: id.repeat(64), author: 'b'.repeat(64), createdAt, stream, content: id });
const zap = (id: string, paidAt: number): Zap => ({ receiptId: id.repeat(64), sender: 'c'.repeat(64), recipient: 'd'.repeat(64), amountMsats: 21_000, comment: '', stream: '', paidAt });
const names = (entries: ReturnType<typeof interleave>) => entries.map((entry) => ('message' in entry ? entry.message.content : 'zap' in entry ? `zap ${entry.zap.receiptId[0]}` : entry.notice.text));

describe('chat order', () => {
  it('sorts by time, then by id, whatever order things arrived in', () => {
    const arrived = [message('4', 10), message('7', 10), message('1', 11), message('8', 10), message('2', 9), message('3', 10)];
    expect(names(interleave(arrived, [], []))).toEqual(['2', '3', '4', '7', '8', '1']);
    // The same set in another arrival order gives the same list.
    expect(names(interleave([...arrived].reverse(), [], []))).toEqual(['2', '3', '4', '7', '8', '1']);
  });

  it('puts zaps among messages by time and id, and a notice after everything of its second', () => {
    const entries = interleave([message('5', 10), message('1', 10)], [zap('3', 10), zap('9', 9)], [{ id: 'n', at: 10, text: 'Now playing' }, { id: 'm', at: 9, text: 'Earlier track' }]);
    expect(names(entries)).toEqual(['zap 9', 'Earlier track', '1', 'zap 3', '5', 'Now playing']);
  });

  it('compares equal only for the same time and id', () => {
    expect(byTimeThenId({ at: 1, id: 'a' }, { at: 1, id: 'a' })).toBe(0);
    expect(byTimeThenId({ at: 1, id: 'b' }, { at: 1, id: 'a' })).toBeGreaterThan(0);
    expect(byTimeThenId({ at: 0, id: 'z' }, { at: 1, id: 'a' })).toBeLessThan(0);
  });
});
