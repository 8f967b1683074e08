#!/usr/bin/perl
# Start-up probe: sends lonnet-style "ping" requests (one UNIX connection each) to every SOCKET=HOSTID given
# until each has answered its host id once, or DEADLINE seconds after T0 (an epoch time with fractions, taken
# by the caller just before starting lonc). Prints one line:
#   ready answered=N hosts=M seconds=S          (S: from T0 to the last host's first correct answer)
# and "missing HOST ..." for any host that never answered; exit 1 then.
# With --rounds N, once all have answered, every host gets N more pings (a light lonnet-pattern load on each
# child, stopped at the same deadline) and a line "rounds=N requests=R failures=F seconds=S" follows.
# usage: ping-all.pl [--rounds N] T0 DEADLINE SOCKET=HOSTID...
use strict; use warnings; use IO::Socket::UNIX; use IO::Select; use Time::HiRes qw(time sleep);
my $rounds = 0;
if (@ARGV && $ARGV[0] eq '--rounds') { (undef, $rounds) = splice @ARGV, 0, 2; }
my ($t0, $deadline, @targets) = @ARGV;
die "usage: ping-all.pl T0 DEADLINE SOCKET=HOSTID...\n" unless @targets;
my %want = map { my ($s, $h) = split /=/, $_, 2; ($s => $h) } @targets;
my $last = $t0;

sub ask {
    my ($path) = @_;
    return undef unless -S $path;
    my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path) or return undef;
    syswrite($s, "ping\n") or return undef;
    my ($buf, $sel) = ('', IO::Select->new($s));
    while ($buf !~ /\n/) {
        return undef unless $sel->can_read(2);
        my $n = sysread($s, $buf, 4096, length $buf);
        return undef unless $n;
    }
    close $s;
    $buf =~ s/\n.*//s;
    return $buf;
}

while (%want && time < $t0 + $deadline) {
    for my $path (sort keys %want) {
        my $reply = ask($path);
        if (defined $reply && $reply eq $want{$path}) {
            $last = time;
            delete $want{$path};
        }
    }
    sleep 0.05 if %want;
}
my $hosts = @targets;
printf "ready answered=%d hosts=%d seconds=%.2f\n", $hosts - keys %want, $hosts, $last - $t0;
print "missing ", join(' ', map { $want{$_} } sort keys %want), "\n" if %want;
if ($rounds > 0 && !%want) {
    my ($requests, $failures, $start) = (0, 0, time);
    my $done = 0;
    for (1 .. $rounds) {
        last if time > $t0 + $deadline;   # bounded in time like the wait above
        $done++;
        for my $t (@targets) {
            my ($path, $id) = split /=/, $t, 2;
            my $reply = ask($path);
            $requests++;
            $failures++ unless defined $reply && $reply eq $id;
        }
    }
    printf "rounds=%d requests=%d failures=%d seconds=%.2f\n", $done, $requests, $failures, time - $start;
}
exit(%want ? 1 : 0);
