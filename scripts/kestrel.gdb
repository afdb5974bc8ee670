# gdb script for `make debug`: the unstripped kernel's symbols, QEMU's gdb stub,
# and a hardware breakpoint on kmain (the trampoline runs before paging, so
# software breakpoints in the higher half would not hold yet).
file build/kernel.elf
set disassembly-flavor intel
target remote localhost:1234
hbreak kmain
continue
