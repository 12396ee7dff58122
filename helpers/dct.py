"""The discrete cosine transform (DCT) of 8 x 8 blocks, as JPEG uses it.

The DCT rewrites a block of pixels as a weighted sum of cosine patterns
(*basis images*): smooth blocks need only a few low-frequency weights, which
is what makes them cheap to store. Every transform here is the orthonormal
DCT-II, the same as ``scipy.fft.dctn(x, norm="ortho")``: it keeps the sum of
squares, and its inverse is its transpose.

Frequency convention
--------------------
A coefficient array ``Y`` of one block is indexed ``Y[v, u]``:

* ``u`` is the **horizontal** frequency: how many half-waves the pattern has
  going across, along the columns (x). ``basis(1, 0)``, ``basis(2, 0)``, ...
  are vertical stripes, so every row of them is the same.
* ``v`` is the **vertical** frequency: half-waves going down, along the rows
  (y). ``basis(0, 1)``, ``basis(0, 2)``, ... are horizontal stripes.

So the row of ``Y`` is the vertical frequency and the column the horizontal
one, exactly as the picture itself is indexed ``[y, x]``; ``Y[0, 0]`` is the
DC coefficient (``n`` times the block's mean).

Pixel values
------------
Nothing here shifts the pixels. JPEG first subtracts 128 from 8-bit values so
they are centred on zero; do that yourself with ``image.astype(float) - 128``
before :func:`dct2` or :func:`block_dct`, and add it back after the inverse.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from ._checks import array, ceil_div, integer

__all__ = [
    "dct_matrix",
    "dct2",
    "idct2",
    "basis",
    "image_to_blocks",
    "blocks_to_image",
    "block_dct",
    "block_idct",
]


@cache
def _matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]  # frequency: one per row
    i = np.arange(n)[None, :]  # sample: one per column
    # math.cos (the C library's), not np.cos, whose float64 result depends on the
    # numpy version and CPU: numpy 1.24 on AVX-512 machines is one ulp off for some
    # of these angles, enough to flip a quantized level sitting on a .5 tie and so
    # change the JPEG byte counts the chapters print.
    angles = (2 * i + 1) * k * np.pi / (2 * n)
    c = np.sqrt(2 / n) * np.array([math.cos(a) for a in angles.flat]).reshape(n, n)
    c[0] = np.sqrt(1 / n)
    c.flags.writeable = False
    return c


def dct_matrix(n: int = 8) -> np.ndarray:
    """The orthonormal DCT-II matrix ``C`` (n x n, float64).

    Row ``k`` is a cosine with ``k`` half-waves sampled at the ``n`` pixel
    centres: ``C[k, i] = a(k) cos((2i + 1) k pi / (2n))`` with
    ``a(0) = sqrt(1/n)`` and ``a(k) = sqrt(2/n)``. The DCT of a 1-D signal
    ``x`` is ``C @ x``; since ``C @ C.T`` is the identity, ``C.T @ y`` undoes it.

    The array is cached and read-only; copy it (``C.copy()``) to change it.

    Examples
    --------
    Row 0 is flat (``sqrt(1/n)``), and the matrix is orthonormal, so its transpose undoes it:

    >>> C = dct_matrix(4)
    >>> C[0].tolist()
    [0.5, 0.5, 0.5, 0.5]
    >>> np.allclose(C @ C.T, np.eye(4))
    True
    """
    return _matrix(integer(n, "n", low=1))


def dct2(block: np.ndarray) -> np.ndarray:
    """2-D DCT of a square ``n`` x ``n`` block: ``C @ block @ C.T``.

    ``C @ block`` transforms every column (vertical frequencies), ``@ C.T``
    then every row (horizontal frequencies). Returns float64 ``Y[v, u]``.

    Examples
    --------
    A flat block has only a DC coefficient, ``n`` times its value:

    >>> round(float(dct2(np.full((8, 8), 10.0))[0, 0]), 6)
    80.0
    >>> (dct2(np.ones((2, 2))).round(6) + 0).tolist()
    [[2.0, 0.0], [0.0, 0.0]]

    A vertical edge changes across the block: horizontal frequency 1, at ``[v, u] = [0, 1]``:

    >>> (dct2(np.array([[0, 2], [0, 2]])).round(6) + 0).tolist()
    [[2.0, -2.0], [0.0, 0.0]]
    """
    block = array(block, "block", ndim=2, square=True)
    c = _matrix(block.shape[0])
    return c @ block.astype(np.float64) @ c.T


def idct2(coeffs: np.ndarray) -> np.ndarray:
    """Inverse of :func:`dct2`: ``C.T @ coeffs @ C``, the block back (float64).

    Examples
    --------
    >>> block = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> (dct2(block).round(6) + 0).tolist()
    [[5.0, -1.0], [-2.0, 0.0]]
    >>> (idct2(dct2(block)).round(6) + 0).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    coeffs = array(coeffs, "coeffs", ndim=2, square=True)
    c = _matrix(coeffs.shape[0])
    return c.T @ coeffs.astype(np.float64) @ c


def basis(u: int, v: int, n: int = 8) -> np.ndarray:
    """The basis image for horizontal frequency ``u`` and vertical frequency ``v``.

    It is the block whose DCT is 1 at ``[v, u]`` and 0 elsewhere, so every
    block is a weighted sum of these ``n * n`` patterns, weighted by its
    coefficients. ``basis(0, 0)`` is flat; ``basis(u, 0)`` changes only
    across (vertical stripes), ``basis(0, v)`` only down (horizontal stripes).

    Examples
    --------
    >>> (basis(0, 0, n=2).round(6) + 0).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    >>> (basis(1, 0, n=2).round(6) + 0).tolist()
    [[0.5, -0.5], [0.5, -0.5]]

    Its DCT is a single 1, at ``[v, u]``:

    >>> np.argwhere(dct2(basis(3, 1)).round(6) != 0).tolist()
    [[1, 3]]
    """
    n = integer(n, "n", low=1)
    u = integer(u, "u", low=0, high=n - 1)
    v = integer(v, "v", low=0, high=n - 1)
    c = _matrix(n)
    return np.outer(c[v], c[u])


def _check_blocks(blocks: object, name: str) -> np.ndarray:
    blocks = array(blocks, name, ndim=4)
    if blocks.shape[2] != blocks.shape[3]:
        raise ValueError(
            f"{name} must be (rows, cols, n, n) with square n x n blocks, got shape {blocks.shape}"
        )
    return blocks


def image_to_blocks(image: np.ndarray, n: int = 8) -> np.ndarray:
    """Cut a 2-D picture into ``n`` x ``n`` blocks: shape (rows, cols, n, n).

    ``result[r, c]`` is the block at rows ``r*n .. r*n+n-1`` and columns
    ``c*n .. c*n+n-1``. Sides that are not multiples of ``n`` are first padded
    by repeating the last row and column, as JPEG encoders do, so there are
    ``ceil(H / n)`` x ``ceil(W / n)`` blocks. The dtype is kept; the result
    is a new array, never a view of ``image``.
    """
    return _image_to_blocks(array(image, "image", ndim=2), integer(n, "n", low=1))


def _image_to_blocks(image: np.ndarray, n: int) -> np.ndarray:
    """:func:`image_to_blocks` of a trusted 2-D picture."""
    height, width = image.shape
    rows, cols = ceil_div(height, n), ceil_div(width, n)
    padded = np.pad(image, [(0, rows * n - height), (0, cols * n - width)], mode="edge")
    return padded.reshape(rows, n, cols, n).transpose(0, 2, 1, 3).copy()


def blocks_to_image(blocks: np.ndarray) -> np.ndarray:
    """Lay (rows, cols, n, n) blocks side by side: a (rows*n, cols*n) picture.

    The inverse of :func:`image_to_blocks` (padding included). Handy for
    showing every block's DCT coefficients in place of the block.
    """
    return _blocks_to_image(_check_blocks(blocks, "blocks"))


def _blocks_to_image(blocks: np.ndarray) -> np.ndarray:
    rows, cols, n, _ = blocks.shape
    return blocks.transpose(0, 2, 1, 3).reshape(rows * n, cols * n)


def block_dct(image: np.ndarray, n: int = 8) -> np.ndarray:
    """2-D DCT of every ``n`` x ``n`` block of a picture, all at once.

    Parameters
    ----------
    image : numpy.ndarray
        2-D picture (H x W), integer or float. It is not shifted: for JPEG
        pass ``image.astype(float) - 128``.
    n : int
        Side of the blocks, 8 in JPEG.

    Returns
    -------
    numpy.ndarray
        float64 array (ceil(H/n), ceil(W/n), n, n); ``result[r, c]`` is
        ``dct2`` of block ``(r, c)`` of the edge-padded picture.

    Examples
    --------
    Two 8 x 8 blocks side by side, black and grey 100: each DC is 8 times the block's mean.

    >>> picture = np.zeros((8, 16))
    >>> picture[:, 8:] = 100
    >>> coeffs = block_dct(picture)
    >>> coeffs.shape
    (1, 2, 8, 8)
    >>> (coeffs[..., 0, 0].round(6) + 0).tolist()
    [[0.0, 800.0]]
    """
    return _block_dct(array(image, "image", ndim=2), integer(n, "n", low=1))


def _block_dct(image: np.ndarray, n: int = 8) -> np.ndarray:
    """:func:`block_dct` of a trusted 2-D picture."""
    blocks = _image_to_blocks(image, n).astype(np.float64, copy=False)
    c = _matrix(n)
    return c @ blocks @ c.T  # matmul broadcasts over the (rows, cols) axes


def block_idct(coeffs: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Inverse of :func:`block_dct`: the float64 picture, cropped to ``shape``.

    Parameters
    ----------
    coeffs : numpy.ndarray
        DCT coefficients, shape (rows, cols, n, n).
    shape : (int, int)
        Height and width of the original picture; ``ceil(H/n)`` must equal
        ``rows`` and ``ceil(W/n)`` must equal ``cols``.

    Examples
    --------
    A 3 x 4 picture in 2 x 2 blocks: padded to 4 rows, then cropped back.

    >>> picture = np.arange(12.0).reshape(3, 4)
    >>> coeffs = block_dct(picture, n=2)
    >>> coeffs.shape
    (2, 2, 2, 2)
    >>> (block_idct(coeffs, (3, 4)).round(6) + 0).tolist()
    [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]
    """
    coeffs = _check_blocks(coeffs, "coeffs")
    rows, cols, n, _ = coeffs.shape
    if not isinstance(shape, tuple) or len(shape) != 2:
        raise TypeError(f"shape must be a (height, width) tuple of integers, got {shape!r}")
    height = integer(shape[0], "shape[0] (height)", low=1)
    width = integer(shape[1], "shape[1] (width)", low=1)
    if (ceil_div(height, n), ceil_div(width, n)) != (rows, cols):
        raise ValueError(
            f"shape {shape} does not fit coeffs of shape {coeffs.shape}: a {height} x {width} "
            f"picture has ceil(H/{n}) x ceil(W/{n}) = {ceil_div(height, n)} x "
            f"{ceil_div(width, n)} blocks of {n} x {n}, coeffs has {rows} x {cols}"
        )
    return _block_idct(coeffs, (height, width))


def _block_idct(coeffs: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """:func:`block_idct` of trusted (rows, cols, n, n) coefficients and a shape that fits."""
    c = _matrix(coeffs.shape[-1])
    blocks = c.T @ coeffs.astype(np.float64) @ c
    return _blocks_to_image(blocks)[: shape[0], : shape[1]]
