# A deliberately plain, module-by-module implementation of the mask penalty
# rules of ISO/IEC 18004:2015 7.8.3.1 (Table 11), used as an independent check
# of the bit-packed scorer in devflow.core.qr. Slow and obvious on purpose.
#
# Convention (same as segno): a candidate is scored with the format and
# version areas light, since that information depends on the mask chosen,
# and the dark module beside them light too. Modules outside the symbol
# count as light for the N3 "4 light modules" condition.


def module(matrix, x, y):
    # Module (x, y) of a QRMatrix, 1 = dark: its rows are packed MSB first.
    return matrix.bits[y * ((matrix.size + 7) >> 3) + (x >> 3)] >> (~x & 7) & 1


def format_and_version_cells(size, version):
    cells = set()
    for i in range(9):
        cells.add((8, i))
        cells.add((i, 8))
    for i in range(8):
        cells.add((size - 1 - i, 8))
        cells.add((8, size - 1 - i))
    cells.discard((6, 8))  # timing modules cross the format area
    cells.discard((8, 6))
    if version >= 7:
        for i in range(6):
            for j in range(3):
                cells.add((size - 11 + j, i))
                cells.add((i, size - 11 + j))
    return cells


def grid_for_scoring(matrix):
    """A list of rows of 0/1 from a finished QRMatrix, format/version blanked."""
    n = matrix.size
    grid = [[module(matrix, x, y) for x in range(n)] for y in range(n)]
    for x, y in format_and_version_cells(n, matrix.version):
        grid[y][x] = 0
    return grid


def _lines(grid):
    n = len(grid)
    for y in range(n):
        yield grid[y]
    for x in range(n):
        yield [grid[y][x] for y in range(n)]


def n1(grid):
    score = 0
    for line in _lines(grid):
        run = 1
        for i in range(1, len(line) + 1):
            if i < len(line) and line[i] == line[i - 1]:
                run += 1
                continue
            if run >= 5:
                score += 3 + (run - 5)
            run = 1
    return score


def n2(grid):
    n = len(grid)
    score = 0
    for y in range(n - 1):
        for x in range(n - 1):
            c = grid[y][x]
            if c == grid[y][x + 1] == grid[y + 1][x] == grid[y + 1][x + 1]:
                score += 3
    return score


def n3(grid):
    core = [1, 0, 1, 1, 1, 0, 1]
    score = 0
    for line in _lines(grid):
        n = len(line)

        def light(a, b):
            return all(line[i] == 0 for i in range(a, b) if 0 <= i < n)

        for i in range(n - 6):
            if line[i:i + 7] == core and (light(i - 4, i) or light(i + 7, i + 11)):
                score += 40
    return score


def n4(grid):
    n = len(grid)
    dark = sum(map(sum, grid))
    percent = dark * 100.0 / (n * n)
    k = 0
    while abs(percent - 50) >= 5 * (k + 1):
        k += 1
    return 10 * k


def penalty(grid):
    return n1(grid) + n2(grid) + n3(grid) + n4(grid)


def qr_box(matrix, scale, quiet):
    # Side in pixels of a drawn symbol (a devflow.core.qr matrix) with its
    # quiet zone.
    return (matrix.size + 2 * quiet) * scale
