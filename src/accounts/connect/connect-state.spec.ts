import { newConnectState, nonceOfConnectState } from './connect-state';

describe('Connect OAuth state', () => {
  const secret = 'link-secret-for-tests';

  it('gives back the nonce of a state it signed, a different one each time', () => {
    const a = newConnectState(secret);
    const b = newConnectState(secret);
    expect(a.state).not.toBe(b.state);
    expect(nonceOfConnectState(a.state, secret)).toBe(a.nonce);
    expect(nonceOfConnectState(b.state, secret)).toBe(b.nonce);
  });

  it('refuses a state signed with another secret, altered, or not a state at all', () => {
    const { state, nonce } = newConnectState(secret);
    expect(nonceOfConnectState(state, 'another-secret')).toBeUndefined();
    const flipped = `${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}${state.slice(nonce.length)}`;
    expect(nonceOfConnectState(flipped, secret)).toBeUndefined();
    expect(nonceOfConnectState(`${state}x`, secret)).toBeUndefined();
    expect(nonceOfConnectState(state.slice(0, -1), secret)).toBeUndefined();
    expect(nonceOfConnectState('', secret)).toBeUndefined();
    expect(nonceOfConnectState(`${nonce}.`, secret)).toBeUndefined();
  });
});
