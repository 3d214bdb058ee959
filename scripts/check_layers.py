#!/usr/bin/env python3
"""Checks that every #include in src/ points down the rooms of docs/ARCHITECTURE.md.

A room is a folder of src/ with one job (hw/model, nn/ir, explore, ...). ROOMS below lists, for
each room, the rooms it may include directly; a room may include itself and, transitively, what
those rooms may include. The check fails when
  - a file lives outside every room (a new top folder must be placed in the table; a folder
    inside a room belongs to that room),
  - a file includes a header of a room it may not use (an include pointing up or sideways),
  - the table itself has a cycle (then "down" would mean nothing).
It also checks that the diagram of the rooms in docs/ARCHITECTURE.md (between the markers
"<!-- rooms:begin -->" and "<!-- rooms:end -->") is the one this table draws, so the document
stays true; --diagram prints it.
Run by ctest (test "layering") and by hand: scripts/check_layers.py [SRC_DIR] [--diagram].
"""

import pathlib
import re
import sys

# room: the rooms it may include (directly; the closure is taken below). Lowest rooms first.
ROOMS = {
    "core": [],
    "learn": ["core"],
    "search": ["core", "learn"],
    "search/mpi": ["search"],
    "store": ["core"],
    "nn/ir": ["core"],
    "nn/quant": ["nn/ir"],
    "nn/data": ["nn/ir"],
    "nn/morph": ["nn/quant"],
    "nn/integer": ["nn/quant"],
    "nn/train": ["nn/quant"],
    "nn/onnx": ["nn/integer"],
    "hw/model": ["nn/ir"],
    "hw/cost": ["hw/model"],
    "hw/templates/folded": ["hw/cost"],
    "hw/templates/unrolled": ["hw/cost"],
    "hw/templates": ["hw/templates/folded", "hw/templates/unrolled"],
    "hw/estimate": ["hw/templates"],
    "hw/map": ["hw/estimate", "search"],
    "hw/rtl": ["hw/estimate", "nn/integer"],
    "hw/verify": ["hw/rtl"],
    "hw/synth": ["hw/rtl"],
    "hw/calibrate": ["hw/synth", "nn/integer", "search"],
    "report": ["store"],
    "interop": ["hw/templates", "nn/integer", "nn/data", "nn/onnx", "report"],
    "explore": ["hw/map", "hw/verify", "hw/calibrate", "nn/data", "nn/morph", "nn/train", "store"],
    "cli": ["explore", "report", "nn/onnx", "interop", "search/mpi"],
    "python": ["explore", "report", "nn/onnx"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def closure(rooms):
    """Every room each room may reach; raises on a cycle in the table."""
    reach, visiting = {}, set()

    def visit(room):
        if room in reach:
            return reach[room]
        if room in visiting:
            raise SystemExit(f"check_layers: the room table has a cycle through {room}")
        visiting.add(room)
        below = set()
        for lower in rooms[room]:
            if lower not in rooms:
                raise SystemExit(f"check_layers: room {room} names unknown room {lower}")
            below |= {lower} | visit(lower)
        visiting.discard(room)
        reach[room] = below
        return below

    for room in rooms:
        visit(room)
    return reach


def diagram(rooms):
    """The rooms from the top down, each with the rooms it includes directly: a room's level is one
    above the highest room it uses, so every arrow points to a lower line."""
    level = {}

    def level_of(room):
        if room not in level:
            level[room] = 1 + max((level_of(lower) for lower in rooms[room]), default=0)
        return level[room]

    width = max(len(room) for room in rooms)
    lines = []
    for room in sorted(rooms, key=lambda r: (-level_of(r), list(rooms).index(r))):
        uses = ", ".join(rooms[room]) if rooms[room] else "(nothing)"
        lines.append(f"{level_of(room):>2}  {room:<{width}}  -> {uses}")
    return "\n".join(lines)


def documented_diagram(architecture):
    text = architecture.read_text()
    begin, end = "<!-- rooms:begin -->", "<!-- rooms:end -->"
    if begin not in text or end not in text:
        return None
    block = text.split(begin, 1)[1].split(end, 1)[0]
    return block.strip().removeprefix("```").removesuffix("```").strip()


def room_of(relative):
    """The deepest room holding a path relative to src/ (hw/templates/folded/x.hpp -> hw/templates/folded)."""
    folder = relative.parent
    while str(folder) != ".":
        if str(folder) in ROOMS:
            return str(folder)
        folder = folder.parent
    return None


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    src = pathlib.Path(arguments[0] if arguments else pathlib.Path(__file__).resolve().parent.parent / "src")
    reach = closure(ROOMS)
    if "--diagram" in sys.argv:
        print(diagram(ROOMS))
        return 0
    errors = []
    files = sorted(p for p in src.rglob("*") if p.suffix in (".hpp", ".cpp", ".in"))
    for path in files:
        relative = path.relative_to(src)
        room = room_of(relative)
        if room is None:
            errors.append(f"{relative}: folder {relative.parent} is not a room of scripts/check_layers.py")
            continue
        for line_number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or "/" not in match.group(1):
                continue  # a generated header next to the file (tb_config.h)
            target = room_of(pathlib.Path(match.group(1)))
            if target is None:
                errors.append(f"{relative}:{line_number}: includes {match.group(1)}, which is in no room")
            elif target != room and target not in reach[room]:
                errors.append(f"{relative}:{line_number}: room {room} includes {match.group(1)} of room {target}, "
                              f"which is not below it (it may include: {', '.join(sorted(reach[room])) or 'nothing'})")
    architecture = src.parent / "docs" / "ARCHITECTURE.md"
    if architecture.exists() and documented_diagram(architecture) != diagram(ROOMS):
        errors.append(f"{architecture}: the diagram of the rooms is not the table's; paste the output of "
                      "scripts/check_layers.py --diagram between its rooms markers")
    for error in errors:
        print(error)
    print(f"check_layers: {len(files)} files in {len(ROOMS)} rooms, {len(errors)} wrong includes")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
