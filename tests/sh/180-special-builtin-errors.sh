# Errors in special builtins and assignments end a non-interactive shell.
(readonly r=1; r=2; echo never) 2>/dev/null
echo "readonly assignment: $([ $? -ne 0 ] && echo shell exited)"
(set -- a; shift 3; echo never) 2>/dev/null
echo "shift error: $([ $? -ne 0 ] && echo shell exited)"
(: < /nonexistent/file; echo never) 2>/dev/null
echo "redirection on a special builtin: $([ $? -ne 0 ] && echo shell exited)"
(cat < /nonexistent/file; echo "a regular command's error does not exit") 2>/dev/null
