"""The loops of :mod:`._compiled`, compiled by numba: imported only when a big scan comes (numba is slow to load).

Each reads blocks from ``first`` on and stops before a block within
:data:`._compiled.MARGIN` bytes of the end of the data, or at a block with
anything out of the ordinary (bits that start no code, a run past the end of
the band, a level too big for the level array), which it gives back as it was.
Each returns the first block it did not read and the bit where it starts.
"""

import numba
import numpy as np

from ._compiled import MARGIN

_compile = numba.njit(cache=True, nogil=True)  # machine code, cached on disk (__pycache__) after the first call ever

# The bit buffer, as in _entropy's fast ways: ``acc`` holds ``nbits`` bits not read yet (at most 63,
# so it fits an int64), ``pos`` is the next byte of the data; 4 bytes come in when fewer than 32 are left.


@_compile
def _start(data, bit):
    """The bit buffer (acc, nbits, pos) that reads on from bit ``bit`` of the data."""
    nbits = 8 - (bit & 7)
    return np.int64(data[bit >> 3]) & ((1 << nbits) - 1), nbits, (bit >> 3) + 1


@_compile
def _refill(data, acc, nbits, pos):
    """Four more bytes into the bit buffer (``nbits`` < 32)."""
    acc = (acc & ((1 << nbits) - 1)) << 32 | np.int64(data[pos]) << 24 | np.int64(data[pos + 1]) << 16 \
        | np.int64(data[pos + 2]) << 8 | np.int64(data[pos + 3])
    return acc, nbits + 32, pos + 4


@_compile
def baseline(data, bit, blocks, owner, dc, ac, first, stop, prediction, levels, low_limit, high_limit):
    """A sequential scan (T.81 F.2.2): each block's DC difference, then its AC levels until EOB or level 63.

    ``prediction`` holds each component's DC prediction and is updated.
    """
    limit = len(data) - MARGIN
    acc, nbits, pos = _start(data, bit)
    j = first
    while j < stop and pos <= limit:
        c = owner[j]
        base = blocks[j] * 64
        kept_acc, kept_nbits, kept_pos, kept_dc = acc, nbits, pos, prediction[c]
        good = True
        if nbits < 32:
            acc, nbits, pos = _refill(data, acc, nbits, pos)
        entry = dc[c, (acc >> (nbits - 16)) & 0xFFFF]
        size = entry & 0xFF
        if entry == 0 or size > 15:
            good = False
        else:
            nbits -= entry >> 8
            if size:
                nbits -= size
                value = (acc >> nbits) & ((1 << size) - 1)
                if value < 1 << (size - 1):
                    value -= (1 << size) - 1
                prediction[c] += value
            if low_limit <= prediction[c] <= high_limit:
                levels[base] = prediction[c]
            else:
                good = False
        k = 1
        while good and k < 64:
            if nbits < 32:
                acc, nbits, pos = _refill(data, acc, nbits, pos)
            entry = ac[c, (acc >> (nbits - 16)) & 0xFFFF]
            if entry == 0:
                good = False
                break
            nbits -= entry >> 8
            run, size = (entry >> 4) & 15, entry & 15
            if size:
                k += run
                if k > 63:
                    good = False
                    break
                nbits -= size
                value = (acc >> nbits) & ((1 << size) - 1)
                if value < 1 << (size - 1):
                    value -= (1 << size) - 1
                levels[base + k] = value
                k += 1
            elif run == 15:  # ZRL: 16 zeros
                k += 16
                if k > 64:
                    good = False
            else:  # EOB
                break
        if not good:  # the Python code reads this block
            acc, nbits, pos, prediction[c] = kept_acc, kept_nbits, kept_pos, kept_dc
            break
        j += 1
    return j, 8 * pos - nbits


@_compile
def dc_first(data, bit, blocks, owner, dc, first, stop, prediction, low, levels, low_limit, high_limit):
    """A progressive scan's first DC band (T.81 G.1.2.1): each block's DC difference, shifted left by ``low``."""
    limit = len(data) - MARGIN
    acc, nbits, pos = _start(data, bit)
    j = first
    while j < stop and pos <= limit:
        c = owner[j]
        if nbits < 32:
            acc, nbits, pos = _refill(data, acc, nbits, pos)
        entry = dc[c, (acc >> (nbits - 16)) & 0xFFFF]
        size = entry & 0xFF
        if entry == 0 or size > 15:
            break
        value = 0
        if size:
            value = (acc >> (nbits - (entry >> 8) - size)) & ((1 << size) - 1)
            if value < 1 << (size - 1):
                value -= (1 << size) - 1
        level = (prediction[c] + value) << low
        if not low_limit <= level <= high_limit:
            break
        nbits -= (entry >> 8) + size
        prediction[c] += value
        levels[blocks[j] * 64] = level
        j += 1
    return j, 8 * pos - nbits


@_compile
def ac_first(data, bit, blocks, ac, first, stop, start, end, low, eob_run, levels, low_limit, high_limit):
    """A progressive scan's first AC band (T.81 G.1.2.2): levels ``start..end`` shifted left by ``low``, EOB runs.

    Returns the first block not read, its bit and the EOB run left there.
    """
    limit = len(data) - MARGIN
    acc, nbits, pos = _start(data, bit)
    j = first
    while j < stop and pos <= limit:
        if eob_run:  # nothing more in this block's band
            eob_run -= 1
            j += 1
            continue
        base = blocks[j] * 64
        kept_acc, kept_nbits, kept_pos = acc, nbits, pos
        good = True
        k = start
        while k <= end:
            if nbits < 32:
                acc, nbits, pos = _refill(data, acc, nbits, pos)
            entry = ac[(acc >> (nbits - 16)) & 0xFFFF]
            if entry == 0:
                good = False
                break
            nbits -= entry >> 8
            run, size = (entry >> 4) & 15, entry & 15
            if size:
                k += run
                if k > end:
                    good = False
                    break
                nbits -= size
                value = (acc >> nbits) & ((1 << size) - 1)
                if value < 1 << (size - 1):
                    value -= (1 << size) - 1
                value <<= low
                if not low_limit <= value <= high_limit:
                    good = False
                    break
                levels[base + k] = value
                k += 1
            elif run == 15:  # ZRL: 16 zeros
                k += 16
            else:  # an EOB run: this block and the next (1 << run) + bits - 1
                eob_run = (1 << run) - 1
                if run:
                    nbits -= run
                    eob_run += (acc >> nbits) & ((1 << run) - 1)
                break
        if not good:
            acc, nbits, pos, eob_run = kept_acc, kept_nbits, kept_pos, 0
            break
        j += 1
    return j, 8 * pos - nbits, eob_run


@_compile
def _correct(data, acc, nbits, pos, levels, where, one, low_limit, high_limit, changed, before, n):
    """The correction bit of the non-zero level ``levels[where]``: a 1 adds ``one`` to its magnitude.

    As libjpeg does, only if that bit is not set already. A change is noted
    as the ``n``-th of ``changed`` (where) and ``before`` (the level before).
    Returns the bit buffer, the changes noted and False if the level would not fit.
    """
    if nbits < 32:
        acc, nbits, pos = _refill(data, acc, nbits, pos)
    nbits -= 1
    value = levels[where]
    if (acc >> nbits) & 1 and not value & one:
        grown = value + one if value >= 0 else value - one
        if not low_limit <= grown <= high_limit:
            return acc, nbits, pos, n, False
        changed[n], before[n] = where, value
        levels[where] = grown
        n += 1
    return acc, nbits, pos, n, True


@_compile
def ac_refine(data, bit, blocks, ac, first, stop, start, end, low, eob_run, levels, low_limit, high_limit):
    """A progressive scan's AC refinement (T.81 G.1.2.3), as libjpeg's ``decode_mcu_AC_refine`` reads it.

    Every level of the band already non-zero gets one correction bit (a 1
    adds ``1 << low`` to its magnitude, unless that bit is set already); a
    new level, +-1 shifted, comes after a run of levels still zero. Returns
    the first block not read, its bit and the EOB run left there.
    """
    limit = len(data) - MARGIN
    one = 1 << low
    acc, nbits, pos = _start(data, bit)
    changed = np.empty(128, np.int64)  # what this block changed, to give it back: where, and the level before
    before = np.empty(128, np.int64)
    j = first
    while j < stop and pos <= limit:
        base = blocks[j] * 64
        kept_acc, kept_nbits, kept_pos, kept_run = acc, nbits, pos, eob_run
        n = 0
        good = True
        k = start
        if eob_run == 0:
            while k <= end:
                if nbits < 32:
                    acc, nbits, pos = _refill(data, acc, nbits, pos)
                entry = ac[(acc >> (nbits - 16)) & 0xFFFF]
                if entry == 0:
                    good = False
                    break
                nbits -= entry >> 8
                zeros, size = (entry >> 4) & 15, entry & 15
                new = 0
                if size:  # a level that was 0 becomes +-1 (shifted): its sign follows
                    nbits -= 1
                    new = one if (acc >> nbits) & 1 else -one
                elif zeros != 15:  # an EOB run, this block included: its rest is refined below
                    eob_run = 1 << zeros
                    if zeros:
                        nbits -= zeros
                        eob_run += (acc >> nbits) & ((1 << zeros) - 1)
                    break
                while k <= end:  # correction bits for levels already non-zero, until `zeros` zeros are passed
                    if levels[base + k]:
                        acc, nbits, pos, n, good = _correct(data, acc, nbits, pos, levels, base + k, one, low_limit,
                                                            high_limit, changed, before, n)
                        if not good:
                            break
                    elif zeros:
                        zeros -= 1
                    else:
                        break
                    k += 1
                if not good:
                    break
                if new:
                    if k > end:
                        good = False
                        break
                    changed[n], before[n] = base + k, 0
                    n += 1
                    levels[base + k] = new
                k += 1
        if good and eob_run:  # the band's rest in this block: only correction bits
            while k <= end:
                if levels[base + k]:
                    acc, nbits, pos, n, good = _correct(data, acc, nbits, pos, levels, base + k, one, low_limit,
                                                        high_limit, changed, before, n)
                    if not good:
                        break
                k += 1
            eob_run -= 1
        if not good:  # give the block back as it was
            for i in range(n - 1, -1, -1):
                levels[changed[i]] = before[i]
            acc, nbits, pos, eob_run = kept_acc, kept_nbits, kept_pos, kept_run
            break
        j += 1
    return j, 8 * pos - nbits, eob_run
