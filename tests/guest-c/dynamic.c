/* dynamic.c: a dynamically linked C program (built with glibc's gcc and with
 * musl-gcc, without -static) whose output is the same on Linux and on Kestrel:
 * the auxiliary vector the kernel gave the dynamic linker (each value checked, not
 * printed, since addresses differ), then work done through the shared C library
 * (formatting, sorting, string conversion, memory, threads with thread-local
 * storage, atexit handlers). tests/dynamic.rs compares its lines
 * ("dyn: ...") with the same binary's on the host.
 *
 * With the argument --addresses it prints where things are instead (its code,
 * AT_BASE, a stack variable, the heap, a new mapping and the vDSO), one "addr"
 * line each, for the randomization test (ktest-aslr runs it twice).
 */
#include <elf.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

extern char _start[];
extern char **environ;

static int failures;

static void check(const char *what, int ok)
{
    printf("dyn: %s: %s\n", what, ok ? "yes" : "NO");
    if (!ok)
        failures++;
}

/* An auxv entry as the kernel wrote it, after envp (glibc's getauxval gives its
 * own AT_HWCAP). */
static unsigned long raw_auxv(unsigned long type)
{
    char **p = environ;
    while (*p)
        p++;
    for (const unsigned long *entry = (const unsigned long *)(p + 1); entry[0] != AT_NULL; entry += 2)
        if (entry[0] == type)
            return entry[1];
    return 0;
}

static int is_elf_image(unsigned long address)
{
    return address != 0 && memcmp((const void *)address, ELFMAG, SELFMAG) == 0;
}

/* The program headers AT_PHDR points at are this program's: one of them is its
 * PT_DYNAMIC, and with PT_PHDR the load bias follows. */
static int phdr_matches(void)
{
    const Elf64_Phdr *phdr = (const Elf64_Phdr *)getauxval(AT_PHDR);
    unsigned long count = getauxval(AT_PHNUM);
    int dynamic = 0;
    for (unsigned long i = 0; phdr && i < count; i++)
        if (phdr[i].p_type == PT_DYNAMIC)
            dynamic = 1;
    return phdr && getauxval(AT_PHENT) == sizeof(Elf64_Phdr) && dynamic;
}

static void auxv(const char *argv0)
{
    check("AT_ENTRY is _start", getauxval(AT_ENTRY) == (unsigned long)_start);
    check("AT_PHDR holds this program's headers", phdr_matches());
    unsigned long base = getauxval(AT_BASE);
    check("AT_BASE is the interpreter's ELF header, page aligned", is_elf_image(base) && base % 4096 == 0);
    check("AT_SYSINFO_EHDR is the vDSO's ELF header", is_elf_image(getauxval(AT_SYSINFO_EHDR)));
    check("AT_PAGESZ is 4096", getauxval(AT_PAGESZ) == 4096);
    check("AT_CLKTCK is 100", getauxval(AT_CLKTCK) == 100);
    check("AT_HWCAP has CPUID's FPU bit", raw_auxv(AT_HWCAP) & 1);
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    check("AT_PLATFORM is x86_64", platform && strcmp(platform, "x86_64") == 0);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    check("AT_EXECFN is the path executed", execfn && strcmp(execfn, argv0) == 0);
    check("AT_RANDOM points at 16 bytes", getauxval(AT_RANDOM) != 0);
    check("AT_SECURE is 0", getauxval(AT_SECURE) == 0);
    check("AT_UID and AT_EUID agree with getuid", getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid());
}

static int by_value(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static __thread int per_thread = 7;

static void *thread_body(void *arg)
{
    per_thread += (int)(intptr_t)arg;
    return (void *)(intptr_t)per_thread;
}

static void at_exit_second(void)
{
    puts("dyn: atexit: second registered, first run");
}

static void at_exit_first(void)
{
    puts("dyn: atexit: first registered, last run");
    fflush(stdout);
}

static void library_work(void)
{
    char buffer[128];
    snprintf(buffer, sizeof buffer, "%5d|%-5s|%08.3f|%x|%e", 42, "ab", 3.14159, 48879, 12345.678);
    printf("dyn: snprintf: %s\n", buffer);

    int values[] = {5, -3, 17, 0, 8, -12, 4};
    size_t n = sizeof values / sizeof values[0];
    qsort(values, n, sizeof values[0], by_value);
    printf("dyn: qsort:");
    for (size_t i = 0; i < n; i++)
        printf(" %d", values[i]);
    printf("\n");

    char *end;
    long parsed = strtol("  -0x1f rest", &end, 16);
    double real = strtod("2.5e3x", NULL);
    printf("dyn: strtol %ld then \"%s\", strtod %.1f\n", parsed, end, real);

    size_t big = 1 << 20;
    unsigned char *block = malloc(big);
    memset(block, 0xab, big);
    unsigned long sum = 0;
    for (size_t i = 0; i < big; i += 4096)
        sum += block[i];
    block = realloc(block, 2 * big);
    printf("dyn: malloc 1 MiB, sum of a byte a page %lu, realloc %s\n", sum, block ? "ok" : "failed");
    free(block);

    pthread_t threads[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&threads[i], NULL, thread_body, (void *)(intptr_t)(i + 1));
    int results = 0;
    for (int i = 0; i < 3; i++) {
        void *result;
        pthread_join(threads[i], &result);
        results += (int)(intptr_t)result;
    }
    printf("dyn: threads: thread-local sums %d, main's copy still %d\n", results, per_thread);

    atexit(at_exit_first);
    atexit(at_exit_second);
}

static void addresses(void)
{
    int local = 0;
    void *mapping = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("addr code %p\n", (void *)_start);
    printf("addr interpreter %#lx\n", getauxval(AT_BASE));
    printf("addr stack %p\n", (void *)&local);
    printf("addr heap %p\n", sbrk(0));
    printf("addr mmap %p\n", mapping);
    printf("addr vdso %#lx\n", getauxval(AT_SYSINFO_EHDR));
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--addresses") == 0) {
        addresses();
        return 0;
    }
    auxv(argv[0]);
    library_work();
    printf("dyn: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
