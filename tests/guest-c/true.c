/* ktest-true-static and ktest-true-dynamic: exit 0 at once. The same program
 * linked statically and dynamically (musl), for make bench's fork+execve figures,
 * which then show what loading a dynamically linked program costs. */
int main(void) {
    return 0;
}
