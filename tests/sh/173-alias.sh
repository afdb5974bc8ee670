# alias defines words replaced at the start of a command; unalias removes them.
alias say='echo said:'
alias
say hello
alias twice='say again;'
twice say more
alias say
unalias say
alias say 2>/dev/null || echo "say is no longer an alias"
alias trailing='echo ' word=expanded
trailing word
unalias -a
alias
echo "none left"
