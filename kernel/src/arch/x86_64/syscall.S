/* syscall.S: the `syscall` instruction's entry. The CPU leaves the user RIP in RCX
 * and RFLAGS in R11, masks IF (FMASK) and does not switch stacks, so the entry:
 *   swapgs (GS -> per-CPU data), saves the user RSP there, loads the kernel stack,
 *   builds the same TrapFrame as trap.S (vector {SYSCALL_VECTOR}), calls
 *   syscall_dispatch(frame), and leaves through trap_return (iretq).
 * Per-CPU offsets come from Rust (offset_of!).
 */
    .section .text.syscall, "ax"
    .code64
    .global syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:{PERCPU_USER_RSP}
    mov %gs:{PERCPU_KERNEL_RSP}, %rsp
    pushq ${USER_DS}                          /* ss */
    pushq %gs:{PERCPU_USER_RSP}               /* rsp */
    push %r11                                 /* rflags */
    pushq ${USER_CS}                          /* cs */
    push %rcx                                 /* rip */
    pushq $0                                  /* error code */
    pushq ${SYSCALL_VECTOR}                   /* vector */
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    cld
    xor %ebp, %ebp                            /* ends kernel backtraces here */
    mov %rsp, %rdi
    call syscall_dispatch
    jmp trap_return
    .text
