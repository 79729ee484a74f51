// The PyTorch peer only counts on an optimised BLAS: Debian's torch on the netlib reference
// BLAS trained 5.4 images/s where the same script with OpenBLAS trained 30 on one machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceBlasWarning } from '../../src-main/cli/commands/bench';

test('a peer on the reference BLAS is flagged; OpenBLAS or MKL is not', () => {
  assert.match(
    referenceBlasWarning(['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'])!,
    /reference BLAS .*libblas\.so\.3.*do not count.*libopenblas0-pthread/,
  );
  assert.match(referenceBlasWarning([])!, /none found/);
  assert.equal(
    referenceBlasWarning([
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
    ]),
    null,
  );
  assert.equal(referenceBlasWarning(['/opt/intel/lib/libmkl_rt.so.2']), null);
});
