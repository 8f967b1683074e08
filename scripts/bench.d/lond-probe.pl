#!/usr/bin/perl
# Measures the lond emulator on its own, without lonc: CONNECTIONS forked clients each open one TCP link to
# IP:PORT, do lond's init dialogue (init, echo the challenge, expect "ok") and then send "echo:<id>-<seq>-<26 bytes>"
# lines back to back, one in flight, checking every reply, for SECONDS. Prints one line:
#   probe connections=C requests=N ok=N mismatches=N seconds=S rps=R mean_us=U
# usage: lond-probe.pl IP PORT SECONDS CONNECTIONS
use strict; use warnings; use IO::Socket::INET; use Time::HiRes qw(time);
my ($ip, $port, $seconds, $connections) = @ARGV;
die "usage: lond-probe.pl IP PORT SECONDS CONNECTIONS\n" unless defined $connections && $connections >= 1;
my $payload = join '', map { chr(ord('a') + $_ % 26) } 0 .. 25;

sub client {
    my ($id, $until) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => $ip, PeerPort => $port, Proto => 'tcp', Timeout => 10)
        or die "probe $id: connect $ip:$port: $!\n";
    $s->autoflush(1);
    print $s "init\n"; my $challenge = <$s>; die "probe $id: no challenge\n" unless defined $challenge;
    print $s $challenge; my $ok = <$s>; die "probe $id: init refused\n" unless defined $ok && $ok eq "ok\n";
    my ($n, $good, $bad) = (0, 0, 0);
    while (time < $until) {
        my $text = "$id-$n-$payload"; $n++;
        print $s "echo:$text\n";
        my $reply = <$s>;
        last unless defined $reply;
        if ($reply eq "$text\n") { $good++ } else { $bad++ }
    }
    close $s;
    return ($n, $good, $bad);
}

pipe(my $r, my $w) or die "pipe: $!";
my $start = time + 0.2;   # every client starts at the same moment, after all have forked
my $until = $start + $seconds;
my @kids;
for my $id (1 .. $connections) {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        close $r;
        select(undef, undef, undef, $start - time) if $start > time;
        my @counts = eval { client($id, $until) };
        print STDERR $@ if $@;
        @counts = (0, 0, 0) unless @counts;
        syswrite $w, "@counts\n";
        exit 0;
    }
    push @kids, $pid;
}
close $w;
my ($n, $good, $bad) = (0, 0, 0);
while (my $line = <$r>) { my @c = split ' ', $line; $n += $c[0]; $good += $c[1]; $bad += $c[2]; }
waitpid $_, 0 for @kids;
my $elapsed = $seconds;
printf "probe connections=%d requests=%d ok=%d mismatches=%d seconds=%.3f rps=%.1f mean_us=%.0f\n",
    $connections, $n, $good, $bad, $elapsed, $n / $elapsed, $n ? $connections * $elapsed * 1e6 / $n : 0;
exit($bad || $good == 0 ? 1 : 0);
