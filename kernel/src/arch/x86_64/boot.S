/* boot.S: the Multiboot2 header and the 32-bit trampoline into the 64-bit kernel.
 *
 * GRUB enters `_start` in 32-bit protected mode, paging off, with EAX = Multiboot2
 * magic and EBX = physical address of the boot information. The trampoline:
 *   1. checks the magic and that the CPU has CPUID, long mode and NX; on failure it
 *      prints a plain message on the VGA text screen and COM1 and halts;
 *   2. builds 4-level page tables mapping the first GiB three times, with 2 MiB pages:
 *        identity      0x0000_0000_0000_0000 (PML4[0])   - removed by kmain
 *        direct map    0xffff_8000_0000_0000 (PML4[256]) - paging.rs extends it
 *        kernel image  0xffff_ffff_8000_0000 (PML4[511], PDPT[510])
 *   3. enables PAE, EFER.LME and EFER.NXE, paging and write protection, loads a
 *      64-bit GDT and far-jumps to 64-bit code;
 *   4. switches to the higher-half boot stack (which has an unmapped guard page below
 *      once paging.rs takes over) and calls kmain(boot_info_phys).
 * In 32-bit code a higher-half symbol's physical address is `sym - KERNEL_VMA`.
 */
    .set KERNEL_VMA, 0xffffffff80000000
    .set MB2_MAGIC, 0xe85250d6
    .set MB2_BOOT_MAGIC, 0x36d76289
    .set PTE_PRESENT_WRITABLE, 0x3
    .set PTE_HUGE, 0x80
    .set BOOT_STACK_SIZE, 64 * 1024
    .set FAULT_STACK_SIZE, 16 * 1024

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long 0                                   /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
    .balign 8                                 /* end tag */
    .short 0
    .short 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov $(boot_stack_top - KERNEL_VMA), %esp
    mov %ebx, %esi                            /* keep the boot information address */

    cmp $MB2_BOOT_MAGIC, %eax
    jne .Lno_multiboot

    /* CPUID exists if EFLAGS.ID (bit 21) can be flipped. */
    pushfl
    pop %eax
    mov %eax, %ecx
    xor $(1 << 21), %eax
    push %eax
    popfl
    pushfl
    pop %eax
    push %ecx
    popfl
    cmp %eax, %ecx
    je .Lno_long_mode

    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb .Lno_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx                     /* LM */
    jz .Lno_long_mode
    test $(1 << 20), %edx                     /* NX */
    jz .Lno_nx

    /* Page tables (zeroed .bss, loaded by GRUB). */
    mov $(boot_pdpt_low - KERNEL_VMA + PTE_PRESENT_WRITABLE), %eax
    mov %eax, (boot_pml4 - KERNEL_VMA)
    mov %eax, (boot_pml4 - KERNEL_VMA + 256 * 8)
    mov $(boot_pdpt_high - KERNEL_VMA + PTE_PRESENT_WRITABLE), %eax
    mov %eax, (boot_pml4 - KERNEL_VMA + 511 * 8)
    mov $(boot_pd - KERNEL_VMA + PTE_PRESENT_WRITABLE), %eax
    mov %eax, (boot_pdpt_low - KERNEL_VMA)
    mov %eax, (boot_pdpt_high - KERNEL_VMA + 510 * 8)

    mov $(boot_pd - KERNEL_VMA), %edi
    mov $(PTE_PRESENT_WRITABLE | PTE_HUGE), %eax
    xor %ecx, %ecx
1:  mov %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    add $0x200000, %eax
    inc %ecx
    cmp $512, %ecx
    jne 1b

    mov $(boot_pml4 - KERNEL_VMA), %eax
    mov %eax, %cr3

    mov %cr4, %eax
    or $(1 << 5), %eax                        /* PAE */
    mov %eax, %cr4

    mov $0xC0000080, %ecx                     /* EFER */
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax          /* LME | NXE */
    wrmsr

    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax         /* PG | WP */
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $0x08, $long_mode_entry

.Lno_multiboot:
    mov $msg_no_multiboot, %ebx
    jmp boot_fail
.Lno_long_mode:
    mov $msg_no_long_mode, %ebx
    jmp boot_fail
.Lno_nx:
    mov $msg_no_nx, %ebx
    jmp boot_fail

/* Print the NUL-terminated message at EBX (after a prefix) on VGA and COM1, halt. */
boot_fail:
    mov $0x3f8 + 1, %dx                       /* COM1: 115200 8N1, FIFO on */
    mov $0x00, %al
    out %al, %dx
    mov $0x3f8 + 3, %dx
    mov $0x80, %al
    out %al, %dx
    mov $0x3f8 + 0, %dx
    mov $0x01, %al
    out %al, %dx
    mov $0x3f8 + 1, %dx
    mov $0x00, %al
    out %al, %dx
    mov $0x3f8 + 3, %dx
    mov $0x03, %al
    out %al, %dx
    mov $0x3f8 + 2, %dx
    mov $0xc7, %al
    out %al, %dx

    mov $0xb8000, %edi
    mov $msg_prefix, %ecx
    call boot_print
    mov %ebx, %ecx
    call boot_print
    mov $msg_halted, %ecx
    call boot_print
2:  cli
    hlt
    jmp 2b

/* Print the string at ECX; EDI is the VGA cursor. Clobbers EAX, ECX, EDX. */
boot_print:
    movzbl (%ecx), %eax
    test %al, %al
    jz 4f
    mov %al, %ah
    mov $0x3f8 + 5, %dx                       /* wait for the transmit holding register */
3:  in %dx, %al
    test $0x20, %al
    jz 3b
    mov %ah, %al
    mov $0x3f8, %dx
    out %al, %dx
    cmp $10, %al                              /* newline */
    je 5f
    mov $0x4f, %ah                            /* white on red */
    mov %ax, (%edi)
    add $2, %edi
5:  inc %ecx
    jmp boot_print
4:  ret

    .code64
long_mode_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp                            /* ends the backtrace */
    mov %esi, %edi                            /* kmain(boot_info_phys) */
    movabs $kmain, %rax
    call *%rax
6:  cli
    hlt
    jmp 6b

    .section .boot.rodata, "a"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff                  /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff                  /* 0x10: data */
boot_gdt_end:
boot_gdt_pointer:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

msg_prefix:        .asciz "Kestrel: cannot boot: "
msg_no_multiboot:  .asciz "not started by a Multiboot2 boot loader (bad magic in EAX)"
msg_no_long_mode:  .asciz "this CPU does not support 64-bit long mode (x86-64)"
msg_no_nx:         .asciz "this CPU does not support the NX (no-execute) bit"
msg_halted:        .asciz ". System halted.\n"

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .global boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
    .global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:  .skip 4096                 /* left unmapped by paging.rs */
boot_stack_bottom: .skip BOOT_STACK_SIZE
boot_stack_top:
    .global fault_stack_guard, fault_stack_top
fault_stack_guard: .skip 4096                 /* the double-fault (IST) stack's guard */
    .skip FAULT_STACK_SIZE
fault_stack_top:

    .text
    .code64
