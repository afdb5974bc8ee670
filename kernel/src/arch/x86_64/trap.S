/* trap.S: every entry into the kernel: stubs for CPU exceptions (vectors 0-31) and
 * hardware interrupts (32-47: ISA IRQs, 48-62: MSIs, 63: the APIC's spurious vector) with the common path that builds a TrapFrame and
 * calls trap_dispatch; the `syscall` entry, which builds the same TrapFrame; and
 * trap_return, the one way back (iretq, with interrupts masked from its start: the
 * handlers run with them enabled, and one taken after swapgs would run on the
 * user's GS).
 *
 * Stack at trap_common entry (the CPU pushed ss..rip; the stub pushed the rest):
 *
 *     ss, rsp, rflags, cs, rip      pushed by the CPU (RSP 16-byte aligned first)
 *     error code                    by the CPU, or a 0 pushed by the stub
 *     vector                        by the stub            <- rsp
 *
 * trap_common then pushes rax..r15, so the stack holds a TrapFrame (trap.rs) and
 * RSP stays 16-byte aligned for the call. {FRAME_CS} is the offset of cs from the
 * vector slot; it is computed in Rust with offset_of!.
 */
    .section .text.trap, "ax"
    .code64

/* The general registers in TrapFrame order: rax is pushed first (highest address). */
.macro PUSH_GPRS
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
.endm

.macro POP_GPRS
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
.endm

.macro TRAP_STUB vector, cpu_pushes_error
    .balign 16
trap_stub_\vector:
    .if \cpu_pushes_error == 0
    pushq $0
    .endif
    pushq $\vector
    jmp trap_common
.endm

.irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
    TRAP_STUB \v, 0
.endr
.irp v, 8,10,11,12,13,14,17,21,29,30
    TRAP_STUB \v, 1
.endr
.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    TRAP_STUB \v, 0
.endr

    .type trap_common, @function              /* named in backtraces */
trap_common:
    cld
    testb $3, {FRAME_CS}(%rsp)                /* from user mode: switch GS bases */
    jz 1f
    swapgs
1:  PUSH_GPRS
    mov %rsp, %rdi
    call trap_dispatch
    .global trap_return
trap_return:
    cli                                       /* until iretq: none between swapgs and iretq */
    POP_GPRS
    testb $3, {FRAME_CS}(%rsp)
    jz 2f
    swapgs
2:  add $16, %rsp                             /* vector and error code */
    iretq
    .size trap_common, . - trap_common

/* The `syscall` instruction's entry. The CPU leaves the user RIP in RCX and RFLAGS
 * in R11, masks IF (FMASK) and does not switch stacks, so the entry: swapgs (GS ->
 * per-CPU data), saves the user RSP there, loads the kernel stack, builds the
 * TrapFrame (vector {SYSCALL_VECTOR}), calls syscall_dispatch(frame), and leaves
 * with sysretq, or through trap_return. Per-CPU and frame offsets come from Rust
 * (offset_of!).
 */
    .global syscall_entry
    .type syscall_entry, @function
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
    PUSH_GPRS
    cld
    xor %ebp, %ebp                            /* ends kernel backtraces here */
    mov %rsp, %rdi
    call syscall_dispatch
    /* Back with sysretq (far cheaper than iretq) when the frame is what sysretq
     * restores, as Linux checks: RCX and R11 still RIP and RFLAGS, RIP below the
     * top user page (sysretq to a non-canonical RIP faults in ring 0), neither TF
     * nor RF set, CS and SS the user's. Otherwise (a signal handler's frame, an
     * rt_sigreturn) trap_return's iretq. Interrupts stay masked to sysretq, which
     * loads RFLAGS from R11. */
    cli
    mov {FRAME_RCX}(%rsp), %rcx
    cmp {FRAME_RIP}(%rsp), %rcx
    jne trap_return
    mov {FRAME_R11}(%rsp), %r11
    cmp {FRAME_RFLAGS}(%rsp), %r11
    jne trap_return
    test ${RFLAGS_TF_RF}, %r11
    jnz trap_return
    movabs ${SYSRET_RIP_LIMIT}, %rax
    cmp %rax, %rcx
    jae trap_return
    cmpq ${USER_CS}, {FRAME_CS_FROM_BASE}(%rsp)
    jne trap_return
    cmpq ${USER_DS}, {FRAME_SS}(%rsp)
    jne trap_return
    POP_GPRS
    swapgs
    mov {FRAME_RSP}-{FRAME_VECTOR}(%rsp), %rsp
    sysretq
    .size syscall_entry, . - syscall_entry

    .section .rodata.trap, "a"
    .balign 8
    .global trap_stub_table
trap_stub_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    .quad trap_stub_\v
.endr

    .text
