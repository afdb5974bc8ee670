# tests/debian/python.py: Debian's python3 (python3-minimal) under Linux and under
# Kestrel, for tests/debian.rs to compare: lists, dicts, string formatting, file
# I/O and os.listdir in a fresh folder made by tempfile (under TMPDIR or /tmp). Its last line is `done`.
import os
import sys
import tempfile

squares = [n * n for n in range(12)]
evens = [n for n in squares if n % 2 == 0]
print("squares", squares, "evens", evens, "sum", sum(squares))
print("sorted", sorted(["pear", "Apple", "banana", "cherry"], key=str.lower), "reversed", squares[::-3])
matrix = [[row * 3 + col for col in range(3)] for row in range(3)]
print("transposed", [list(col) for col in zip(*matrix)])

ages = {"alice": 31, "bob": 27, "carol": 35}
ages["dave"] = 22
del ages["bob"]
print("dict", ages, "keys", list(ages), "oldest", max(ages, key=ages.get))
counts = {}
for word in "the quick brown fox jumps over the lazy dog the end".split():
    counts[word] = counts.get(word, 0) + 1
print("counts", sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3])
print("merged", {**ages, "erin": 40} | {"alice": 32})

name, value = "pi", 3.14159265
print(f"f-string: {name:>5}|{value:8.3f}|{255:#x}|{1234567:,}|{0.25:.1%}")
print("percent: %-6s|%05d|%e" % ("ab", 42, 12345.678))
print("format: {0}-{1}-{0} {key!r}".format("a", "b", key="k"), "center:", "mid".center(9, "*"))
print("bytes", "héllo".encode(), len("héllo"), "joined", "/".join(str(n) for n in range(5)))

work = tempfile.mkdtemp(prefix="python-test.")
for index, fruit in enumerate(["apple", "banana", "cherry"]):
    with open(os.path.join(work, f"{index}-{fruit}.txt"), "w") as out:
        out.write(f"{fruit}\n" * (index + 1))
with open(os.path.join(work, "2-cherry.txt"), "a") as out:
    out.write("appended\n")
os.mkdir(os.path.join(work, "sub"))
print("listdir", sorted(os.listdir(work)))
for entry in sorted(os.listdir(work)):
    path = os.path.join(work, entry)
    if os.path.isfile(path):
        with open(path) as f:
            lines = f.read().splitlines()
        print(entry, os.path.getsize(path), lines)
with open(os.path.join(work, "2-cherry.txt"), "rb") as f:
    f.seek(-9, os.SEEK_END)
    print("tail", f.read(), "at", f.tell())
os.rename(os.path.join(work, "0-apple.txt"), os.path.join(work, "sub", "moved.txt"))
print("walk", [(os.path.relpath(d, work), sorted(fs)) for d, _, fs in sorted(os.walk(work))])
for d, _, files in os.walk(work, topdown=False):
    for f in files:
        os.remove(os.path.join(d, f))
    os.rmdir(d)
print("removed", os.path.exists(work))

try:
    open("/nonexistent/file")
except OSError as error:
    print("error", type(error).__name__, error.errno, error.strerror)
print("version", sys.version_info[:2])
print("done")
