#!/bin/sh
# Measures the libc numbers of firmware/costs (libc.ts, measured-sizes.ts LIBC_SIZES):
#  - memset executed instructions for 4/16/64/256/496 bytes per libc and ISA, under qemu-arm;
#  - the static sizes of memcpy, memset and strncpy in each libc archive (nm -S).
# Needs arm-none-eabi-gcc with newlib and picolibc (Debian: gcc-arm-none-eabi,
# libnewlib-arm-none-eabi, picolibc-arm-none-eabi), qemu-user and gawk. Not part of npm test.
# Usage: sh tools/measure/libc.sh   (prints one line per measurement)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The archive a -mcpu links: newlib's (libc.a or libc_nano.a) from gcc's multilib; picolibc's
# from the library directory its specs file names (lib/<multilib>, the release build under
# lib/release/<multilib>).
pico=$(sed -n 's/.*:\([^:;{}]*\)\/%M}.*/\1/p' "$(arm-none-eabi-gcc -print-file-name=picolibc.specs)" | head -n 1)
archive() { # cpu libc
  multi=$(arm-none-eabi-gcc -mcpu=$1 -mthumb -print-multi-directory)
  case $2 in
    newlib) arm-none-eabi-gcc -mcpu=$1 -mthumb -print-file-name=libc.a ;;
    newlib-nano) arm-none-eabi-gcc -mcpu=$1 -mthumb -print-file-name=libc_nano.a ;;
    picolibc) echo "$pico/$multi/libc.a" ;;
    picolibc-release) echo "$pico/release/$multi/libc.a" ;;
  esac
}

# Executed instructions inside memset of a program memset-driver.c linked with $3... .
count() { # cpu size objects-or-archives...
  cpu=$1; size=$2; shift 2
  arm-none-eabi-gcc -mcpu=$cpu -mthumb -O2 -fno-builtin -DSIZE=$size -nostdlib -nostartfiles -static -Wl,-e,_start \
    "$here/memset-driver.c" "$@" -lgcc -o "$work/d.elf"
  range=$(arm-none-eabi-nm -S "$work/d.elf" | gawk '$4 == "memset" { print strtonum("0x" $1), strtonum("0x" $1) + strtonum("0x" $2) }')
  qemu-arm -singlestep -d exec,nochain -D "$work/log" "$work/d.elf"
  gawk -v range="$range" 'BEGIN { split(range, r, " ") }
    match($0, /\[[0-9a-f]+\/([0-9a-f]+)\//, m) { pc = strtonum("0x" m[1]); if (pc >= r[1] && pc < r[2]) n++ }
    END { print n + 0 }' "$work/log"
}

for cpu in cortex-m0plus cortex-m4 cortex-m33; do
  for libc in newlib newlib-nano picolibc picolibc-release c-byte-loop c-word-loop; do
    case $libc in
      c-byte-loop) arm-none-eabi-gcc -mcpu=$cpu -mthumb -O2 -fno-builtin -fno-tree-loop-distribute-patterns -DBYTE_LOOP -c "$here/c-loops.c" -o "$work/loops.o"; lib="$work/loops.o" ;;
      c-word-loop) arm-none-eabi-gcc -mcpu=$cpu -mthumb -O2 -fno-builtin -fno-tree-loop-distribute-patterns -DWORD_LOOP -c "$here/c-loops.c" -o "$work/loops.o"; lib="$work/loops.o" ;;
      *) lib=$(archive $cpu $libc) ;;
    esac
    counts=""
    for size in 4 16 64 256 496; do counts="$counts $(count $cpu $size "$lib")"; done
    sizes=$(arm-none-eabi-nm -S "$lib" 2>/dev/null | gawk 'NF == 4 && ($4 == "memcpy" || $4 == "memset" || $4 == "strncpy") { printf "%s %d  ", $4, strtonum("0x" $2) }')
    echo "$cpu $libc: memset executed$counts; sizes: $sizes"
  done
done
