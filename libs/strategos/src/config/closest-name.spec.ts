import { closestName } from './closest-name';

describe('closestName', () => {
  it('finds the candidate a typo was meant to be', () => {
    expect(closestName('ProcesPayment', ['ValidateOrder', 'ProcessPayment', 'RefundPayment'])).toBe('ProcessPayment');
    expect(closestName('reservinventory', ['ReserveInventory', 'ReleaseInventory'])).toBe('ReserveInventory');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(closestName('Teleport', ['ValidateOrder', 'ProcessPayment'])).toBeUndefined();
    expect(closestName('X', [])).toBeUndefined();
  });
});
