// soak: holds a fixed rate of mixed TLS traffic against one running echo server (weft serve --mode echo) for a
// while and samples the server process as it goes: RSS, heap after a full GC, metaspace, descriptors, sockets,
// threads. It measures leaks, not throughput: compare a sample after warm-up with the last one, and the server's
// sockets once every client is gone with its sockets before any came. Started by ./run, which owns the server.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type kind int

const (
	kFull      kind = iota // full handshake (no session cache), 64-byte echo, close_notify
	kResume                // handshake from a shared session cache, 64-byte echo, close_notify
	kBulk                  // handshake, 1 MiB echoed in random chunks and checked byte for byte
	kAbort                 // handshake, 16 KiB written, then RST (linger 0) or a bare FIN without close_notify
	kHalfHello             // part of a ClientHello, then RST or FIN
	kMidHS                 // a whole ClientHello; RST as soon as the server's flight arrives
	kGarbage               // bytes that are not TLS (random, HTTP, a bogus handshake record); the server must close
	kSilent                // connects and sends nothing; the server must close it at its handshake timeout
	kIdle                  // held slot: handshake, echo, hold 30-60 s without traffic, echo again, close
	kStale                 // held slot: handshake, echo, then wait for the server's idle timeout to close it
	nKinds
)

var kindNames = [nKinds]string{"full", "resume", "bulk", "abort", "halfhello", "midhs", "garbage", "silent", "idle", "stale"}

// The rate-driven kinds and their shares of --rate (per 40 operations); idle and stale connections are held slots.
var mix = []struct {
	k kind
	w int
}{{kFull, 12}, {kResume, 12}, {kBulk, 2}, {kAbort, 4}, {kHalfHello, 3}, {kMidHS, 3}, {kGarbage, 3}, {kSilent, 1}}

var (
	addr        = flag.String("addr", "", "server HOST:PORT (loopback)")
	pid         = flag.Int("pid", 0, "server process id (sampled from /proc and with jcmd)")
	name        = flag.String("name", "server", "label (the provider) for the table, the CSV name and the verdict")
	jcmdPath    = flag.String("jcmd", "jcmd", "the jcmd of the server's JDK")
	caFile      = flag.String("ca", "", "the server's self-signed certificate, PEM (verified as localhost); empty: no verification")
	duration    = flag.Duration("duration", 10*time.Minute, "time under load")
	rate        = flag.Float64("rate", 40, "rate-driven operations per second (held idle connections come on top)")
	idleN       = flag.Int("idle", 200, "idle connections held open at once")
	staleEvery  = flag.Int("stale-every", 10, "every Nth idle slot waits for the server's idle timeout instead (0: none)")
	holdMin     = flag.Duration("hold-min", 30*time.Second, "shortest idle hold")
	holdMax     = flag.Duration("hold-max", 60*time.Second, "longest idle hold")
	hsTimeout   = flag.Duration("handshake-timeout", 10*time.Second, "the server's --handshake-timeout")
	idleTimeout = flag.Duration("idle-timeout", 75*time.Second, "the server's --idle-timeout (longer than -hold-max)")
	bulkSize    = flag.Int("bulk", 1<<20, "bytes per bulk transfer")
	every       = flag.Duration("sample", time.Minute, "sampling interval")
	warmup      = flag.Duration("warmup", 2*time.Minute, "the first sample at or after this is compared with the last")
	prime       = flag.Duration("prime", 5*time.Second, "the mix for this long, then every client gone, before the load")
	csvPath     = flag.String("csv", "", "CSV file to write (one row per sample)")
	sumPath     = flag.String("summary", "", "file to write the summary to as well")
	logPath     = flag.String("log", "", "file to write a copy of the output to")
	maxInFlight = flag.Int("max-inflight", 2000, "rate-driven operations allowed at once; past it a tick is skipped")
	seed        = flag.Int64("seed", 0, "random seed (0: from the clock)")
	heapPct     = flag.Float64("heap-pct", 10, "heap after GC: growing when it rises by more than this % ...")
	heapMiB     = flag.Float64("heap-mib", 4, "... and by more than this many MiB")
	rssPct      = flag.Float64("rss-pct", 10, "RSS: growing when it rises by more than this % ...")
	rssMiB      = flag.Float64("rss-mib", 16, "... and by more than this many MiB")
	metaMiB     = flag.Float64("meta-mib", 2, "metaspace: growing when it rises by more than 10% and this many MiB")
	fdSlack     = flag.Int64("fd-slack", 8, "descriptors beyond the client's open connections: growing when they rise by more than this")
	thrSlack    = flag.Int64("thread-slack", 4, "threads: growing when they rise by more than this")
)

// ---- counters ----

type stats struct {
	ok, fail           [nKinds]atomic.Int64
	tried12, resumed12 atomic.Int64
	tried13, resumed13 atomic.Int64
	bulkBytes, skipped atomic.Int64
	open               atomic.Int64 // connections the client holds open right now
	mu                 sync.Mutex
	hsMillis           []float64 // full and resume handshakes since the last sample
	errs               map[string]int
	firstErr           [nKinds]string // since the last sample
}

var st = stats{errs: map[string]int{}}

type snapshot struct {
	ok, fail                               [nKinds]int64
	tried12, resumed12, tried13, resumed13 int64
	bulkBytes, skipped                     int64
	hsMillis                               []float64
	firstErr                               [nKinds]string
}

func snap() snapshot {
	var s snapshot
	for k := kind(0); k < nKinds; k++ {
		s.ok[k], s.fail[k] = st.ok[k].Load(), st.fail[k].Load()
	}
	s.tried12, s.resumed12, s.tried13, s.resumed13 = st.tried12.Load(), st.resumed12.Load(), st.tried13.Load(), st.resumed13.Load()
	s.bulkBytes, s.skipped = st.bulkBytes.Load(), st.skipped.Load()
	st.mu.Lock()
	s.hsMillis, st.hsMillis = st.hsMillis, nil
	s.firstErr, st.firstErr = st.firstErr, [nKinds]string{}
	st.mu.Unlock()
	return s
}

var addrRe = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+:\d+`)

// done records an operation's outcome; one that failed because the run was stopping is not counted.
func done(ctx context.Context, k kind, err error) {
	if err == nil {
		st.ok[k].Add(1)
		return
	}
	if ctx.Err() != nil {
		return
	}
	st.fail[k].Add(1)
	msg := kindNames[k] + ": " + addrRe.ReplaceAllString(err.Error(), "ADDR")
	st.mu.Lock()
	st.errs[msg]++
	if st.firstErr[k] == "" {
		st.firstErr[k] = msg
	}
	st.mu.Unlock()
}

// ---- connections ----

// counted is a client TCP connection that keeps st.open right.
type counted struct {
	*net.TCPConn
	once sync.Once
}

func (c *counted) Close() error {
	c.once.Do(func() { st.open.Add(-1) })
	return c.TCPConn.Close()
}

func (c *counted) reset() { // RST instead of FIN
	c.SetLinger(0)
	c.Close()
}

func dialTCP(ctx context.Context) (*counted, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	raw, err := d.DialContext(ctx, "tcp", *addr)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	st.open.Add(1)
	return &counted{TCPConn: raw.(*net.TCPConn)}, nil
}

// watch closes c when ctx ends (the run stops); call the returned func when done with c.
func watch(ctx context.Context, c io.Closer) func() {
	stop := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			c.Close()
		case <-stop:
		}
	}()
	return func() { close(stop) }
}

var (
	cfgFull13, cfgFull12, cfgRes13, cfgRes12 *tls.Config
	helloBytes                               []byte
	seq                                      atomic.Int64
)

func configs() {
	base := &tls.Config{ServerName: "localhost", MinVersion: tls.VersionTLS12}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			fatal(fmt.Errorf("no certificate in %s", *caFile))
		}
		base.RootCAs = pool
	} else {
		base.InsecureSkipVerify = true
	}
	mk := func(max uint16, cache bool) *tls.Config {
		c := base.Clone()
		c.MaxVersion = max
		if cache {
			c.ClientSessionCache = tls.NewLRUClientSessionCache(64)
		}
		return c
	}
	cfgFull13, cfgFull12 = mk(tls.VersionTLS13, false), mk(tls.VersionTLS12, false)
	cfgRes13, cfgRes12 = mk(tls.VersionTLS13, true), mk(tls.VersionTLS12, true)
	cc := &captureConn{}
	tls.Client(cc, cfgFull13).Handshake() // fails after writing the ClientHello, which it keeps
	helloBytes = cc.buf.Bytes()
	if len(helloBytes) < 10 {
		fatal(errors.New("could not capture a ClientHello"))
	}
}

// captureConn keeps what a TLS client writes (its ClientHello) and fails everything else.
type captureConn struct{ buf bytes.Buffer }

var errCaptured = errors.New("captured")

func (c *captureConn) Write(b []byte) (int, error)      { c.buf.Write(b); return 0, errCaptured }
func (c *captureConn) Read([]byte) (int, error)         { return 0, errCaptured }
func (c *captureConn) Close() error                     { return nil }
func (c *captureConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *captureConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *captureConn) SetDeadline(time.Time) error      { return nil }
func (c *captureConn) SetReadDeadline(time.Time) error  { return nil }
func (c *captureConn) SetWriteDeadline(time.Time) error { return nil }

// pick: every 4th connection of a kind offers TLS 1.2 at most, the others TLS 1.3.
func pick(resume bool) *tls.Config {
	v12 := seq.Add(1)%4 == 0
	switch {
	case resume && v12:
		return cfgRes12
	case resume:
		return cfgRes13
	case v12:
		return cfgFull12
	}
	return cfgFull13
}

func handshake(ctx context.Context, cfg *tls.Config, timed bool) (*tls.Conn, *counted, error) {
	raw, err := dialTCP(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := tls.Client(raw, cfg)
	c.SetDeadline(time.Now().Add(15 * time.Second))
	t0 := time.Now()
	if err := c.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, nil, fmt.Errorf("handshake: %w", err)
	}
	if timed {
		ms := float64(time.Since(t0).Microseconds()) / 1000
		st.mu.Lock()
		st.hsMillis = append(st.hsMillis, ms)
		st.mu.Unlock()
	}
	return c, raw, nil
}

func echo(c net.Conn, n int) error {
	msg := make([]byte, n)
	rand.Read(msg)
	if _, err := c.Write(msg); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	got := make([]byte, n)
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("read echo: %w", err)
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("echo mismatch at byte %d of %d", diffAt(got, msg), n)
	}
	return nil
}

func diffAt(a, b []byte) int {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func randDur(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(rand.Int63n(int64(hi-lo)))
}

// ---- operations ----

func opShort(ctx context.Context, resume bool) error {
	cfg := pick(resume)
	c, _, err := handshake(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer c.Close()
	defer watch(ctx, c)()
	if err := echo(c, 64); err != nil {
		return err
	}
	if resume { // read after the echo, so a TLS 1.3 ticket has arrived for the next one
		did := c.ConnectionState().DidResume
		if cfg == cfgRes12 {
			st.tried12.Add(1)
			if did {
				st.resumed12.Add(1)
			}
		} else {
			st.tried13.Add(1)
			if did {
				st.resumed13.Add(1)
			}
		}
	}
	return c.Close()
}

func opBulk(ctx context.Context) error {
	c, _, err := handshake(ctx, pick(rand.Intn(2) == 0), false)
	if err != nil {
		return err
	}
	defer c.Close()
	defer watch(ctx, c)()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	data := make([]byte, *bulkSize)
	rand.New(rand.NewSource(rand.Int63())).Read(data)
	werr := make(chan error, 1)
	go func() {
		for off := 0; off < len(data); {
			n := 1 + rand.Intn(64<<10)
			if off+n > len(data) {
				n = len(data) - off
			}
			if _, err := c.Write(data[off : off+n]); err != nil {
				werr <- fmt.Errorf("write at byte %d: %w", off, err)
				return
			}
			off += n
		}
		werr <- nil
	}()
	buf := make([]byte, 64<<10)
	for got := 0; got < len(data); {
		n, err := c.Read(buf)
		if n > 0 {
			if got+n > len(data) {
				return fmt.Errorf("echo longer than the %d bytes sent", len(data))
			}
			if !bytes.Equal(buf[:n], data[got:got+n]) {
				return fmt.Errorf("echo mismatch at byte %d of %d", got+diffAt(buf[:n], data[got:got+n]), len(data))
			}
			got += n
		}
		if err != nil {
			return fmt.Errorf("read echo after %d of %d bytes: %w", got, len(data), err)
		}
	}
	if err := <-werr; err != nil {
		return err
	}
	st.bulkBytes.Add(int64(len(data)))
	return c.Close()
}

func opAbort(ctx context.Context) error {
	c, raw, err := handshake(ctx, pick(false), false)
	if err != nil {
		return err
	}
	defer raw.Close()
	defer watch(ctx, raw)()
	msg := make([]byte, 16<<10)
	rand.Read(msg)
	if _, err := c.Write(msg); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if rand.Intn(2) == 0 {
		raw.reset() // while the server writes the echo
		return nil
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("read echo: %w", err)
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("echo mismatch at byte %d of %d", diffAt(got, msg), len(msg))
	}
	return raw.Close() // a FIN without close_notify
}

func opHalfHello(ctx context.Context) error {
	raw, err := dialTCP(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	cut := 1 + rand.Intn(len(helloBytes)-1)
	raw.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := raw.Write(helloBytes[:cut]); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	sleepCtx(ctx, randDur(0, 200*time.Millisecond))
	if rand.Intn(2) == 0 {
		raw.reset()
	}
	return nil
}

// tripConn resets the connection as soon as the server's first bytes arrive.
type tripConn struct {
	*counted
	tripped bool
}

func (t *tripConn) Read(b []byte) (int, error) {
	n, err := t.counted.Read(b)
	if n > 0 && !t.tripped {
		t.tripped = true
		t.counted.reset()
	}
	return n, err
}

func opMidHS(ctx context.Context) error {
	raw, err := dialTCP(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	t := &tripConn{counted: raw}
	c := tls.Client(t, pick(false))
	c.SetDeadline(time.Now().Add(15 * time.Second))
	err = c.HandshakeContext(ctx)
	if !t.tripped {
		return fmt.Errorf("no server flight: %v", err)
	}
	return nil
}

// waitClosed reads until the server closes the connection; an error if it does not within limit.
func waitClosed(c net.Conn, limit time.Duration) (time.Duration, error) {
	t0 := time.Now()
	c.SetReadDeadline(t0.Add(limit))
	buf := make([]byte, 4096)
	for {
		_, err := c.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return time.Since(t0), fmt.Errorf("server kept the connection open for %v", limit)
		}
		return time.Since(t0), nil // EOF, close_notify, reset: the server closed it
	}
}

var httpReq = []byte("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: soak\r\n\r\n")

func opGarbage(ctx context.Context) error {
	raw, err := dialTCP(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	defer watch(ctx, raw)()
	var b []byte
	switch rand.Intn(3) {
	case 0: // random bytes
		b = make([]byte, 1+rand.Intn(2000))
		rand.Read(b)
	case 1:
		b = httpReq
	case 2: // a handshake record whose body is noise
		body := make([]byte, 40+rand.Intn(400))
		rand.Read(body)
		b = append([]byte{0x16, 0x03, 0x01, byte(len(body) >> 8), byte(len(body))}, body...)
	}
	raw.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := raw.Write(b); err != nil {
		return nil // the server has already reset it
	}
	_, err = waitClosed(raw, *hsTimeout+10*time.Second)
	return err
}

func opSilent(ctx context.Context) error {
	raw, err := dialTCP(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	defer watch(ctx, raw)()
	took, err := waitClosed(raw, *hsTimeout+10*time.Second)
	if err != nil {
		return fmt.Errorf("silent client: %w (handshake timeout %v)", err, *hsTimeout)
	}
	if took < *hsTimeout*9/10-500*time.Millisecond {
		return fmt.Errorf("silent client closed after %v, before the handshake timeout %v", took.Round(time.Millisecond), *hsTimeout)
	}
	return nil
}

func opIdle(ctx context.Context) error {
	c, _, err := handshake(ctx, pick(rand.Intn(2) == 0), false)
	if err != nil {
		return err
	}
	defer c.Close()
	defer watch(ctx, c)()
	if err := echo(c, 32); err != nil {
		return err
	}
	c.SetDeadline(time.Time{})
	if !sleepCtx(ctx, randDur(*holdMin, *holdMax)) {
		return ctx.Err()
	}
	c.SetDeadline(time.Now().Add(15 * time.Second))
	if err := echo(c, 32); err != nil {
		return fmt.Errorf("after the hold: %w", err)
	}
	return c.Close()
}

func opStale(ctx context.Context) error {
	c, _, err := handshake(ctx, pick(false), false)
	if err != nil {
		return err
	}
	defer c.Close()
	defer watch(ctx, c)()
	if err := echo(c, 32); err != nil {
		return err
	}
	took, err := waitClosed(c, *idleTimeout+15*time.Second)
	if err != nil {
		return fmt.Errorf("idle connection: %w (idle timeout %v)", err, *idleTimeout)
	}
	if took < *idleTimeout*9/10-time.Second {
		return fmt.Errorf("idle connection closed after %v, before the idle timeout %v", took.Round(time.Millisecond), *idleTimeout)
	}
	return nil
}

func runOp(ctx context.Context, k kind) {
	var err error
	switch k {
	case kFull:
		err = opShort(ctx, false)
	case kResume:
		err = opShort(ctx, true)
	case kBulk:
		err = opBulk(ctx)
	case kAbort:
		err = opAbort(ctx)
	case kHalfHello:
		err = opHalfHello(ctx)
	case kMidHS:
		err = opMidHS(ctx)
	case kGarbage:
		err = opGarbage(ctx)
	case kSilent:
		err = opSilent(ctx)
	}
	done(ctx, k, err)
}

// ---- load ----

// holdIdle keeps -idle connections open, each replaced as it closes; they open over the first ramp.
func holdIdle(ctx context.Context, wg *sync.WaitGroup) {
	ramp := 20 * time.Second
	if *duration/4 < ramp {
		ramp = *duration / 4
	}
	for i := 0; i < *idleN; i++ {
		stale := *staleEvery > 0 && i%*staleEvery == 0
		delay := ramp * time.Duration(i) / time.Duration(*idleN)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !sleepCtx(ctx, delay) {
				return
			}
			for ctx.Err() == nil {
				var err error
				k := kIdle
				if stale {
					k, err = kStale, opStale(ctx)
				} else {
					err = opIdle(ctx)
				}
				done(ctx, k, err)
				if err != nil {
					sleepCtx(ctx, time.Second) // no hot loop while the server refuses
				}
			}
		}()
	}
}

// drive starts one operation of the mix per tick (-rate a second), in a smooth weighted round robin.
func drive(ctx context.Context, wg *sync.WaitGroup) {
	total := 0
	for _, m := range mix {
		total += m.w
	}
	cur := make([]int, len(mix))
	sem := make(chan struct{}, *maxInFlight)
	tick := time.NewTicker(time.Duration(float64(time.Second) / *rate))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		best := 0
		for i, m := range mix {
			cur[i] += m.w
			if cur[i] > cur[best] {
				best = i
			}
		}
		cur[best] -= total
		select {
		case sem <- struct{}{}:
		default:
			st.skipped.Add(1)
			continue
		}
		wg.Add(1)
		go func(k kind) {
			defer wg.Done()
			defer func() { <-sem }()
			runOp(ctx, k)
		}(mix[best].k)
	}
}

// stopAndDrain stops a load and waits for its goroutines (each closes what it opened), then up to limit for the
// server's sockets to come down to want.
func stopAndDrain(stop func(), wg *sync.WaitGroup, want int64, limit time.Duration) {
	stop()
	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		fmt.Fprintln(out, "  (some operations still running 30 s after the load stopped)")
	}
	for t0 := time.Now(); time.Since(t0) < limit; time.Sleep(250 * time.Millisecond) {
		if _, socks := countFds(); socks <= want {
			return
		}
	}
}

// ---- the server process ----

type sample struct {
	phase                             string
	t                                 float64
	rssKB, heapKB, heapCommKB, metaKB int64
	fds, socks, threads, open         int64
	d                                 snapshot // counts since the previous sample
}

var (
	heapRe = regexp.MustCompile(`(?i)heap.*?(?:committed (\d+)K, )?used (\d+)K`)
	metaRe = regexp.MustCompile(`Metaspace\s+used (\d+)K`)
)

func jcmd(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, *jcmdPath, append([]string{strconv.Itoa(*pid)}, args...)...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("jcmd %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

func alive() bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", *pid))
	if err != nil {
		return false
	}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", *pid))
	f := strings.Fields(string(b))
	return !(len(f) > 2 && f[2] == "Z")
}

func statusField(status, key string) int64 {
	for _, l := range strings.Split(status, "\n") {
		if strings.HasPrefix(l, key+":") {
			f := strings.Fields(l[len(key)+1:])
			if len(f) > 0 {
				v, _ := strconv.ParseInt(f[0], 10, 64)
				return v
			}
		}
	}
	return -1
}

func countFds() (fds, socks int64) {
	dir := fmt.Sprintf("/proc/%d/fd", *pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return -1, -1
	}
	for _, e := range ents {
		fds++
		if l, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && strings.HasPrefix(l, "socket:") {
			socks++
		}
	}
	return
}

var (
	jcmdFile string
	out      io.Writer = os.Stdout
)

// probe forces a full GC and reads the heap and metaspace in one jcmd (GC.run, GC.heap_info, VM.metaspace basic),
// then /proc: RSS, threads, descriptors.
func probe(s *sample) {
	s.heapKB, s.heapCommKB, s.metaKB = -1, -1, -1
	if jcmdFile == "" {
		f, err := os.CreateTemp("", "soak-jcmd-*")
		if err != nil {
			fatal(err)
		}
		f.WriteString("GC.run\nGC.heap_info\nVM.metaspace basic scale=KB\n")
		f.Close()
		jcmdFile = f.Name()
	}
	if res, err := jcmd("-f", jcmdFile); err != nil {
		fmt.Fprintln(out, "soak:", err)
	} else {
		if m := heapRe.FindStringSubmatch(res); m != nil {
			s.heapKB, _ = strconv.ParseInt(m[2], 10, 64)
			if m[1] != "" {
				s.heapCommKB, _ = strconv.ParseInt(m[1], 10, 64)
			}
		}
		if m := metaRe.FindStringSubmatch(res); m != nil {
			s.metaKB, _ = strconv.ParseInt(m[1], 10, 64)
		}
	}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", *pid))
	s.rssKB = statusField(string(b), "VmRSS")
	s.threads = statusField(string(b), "Threads")
	s.fds, s.socks = countFds()
	s.open = st.open.Load()
}

func diff(a, b snapshot) snapshot { // b - a
	d := b
	for k := kind(0); k < nKinds; k++ {
		d.ok[k] -= a.ok[k]
		d.fail[k] -= a.fail[k]
	}
	d.tried12 -= a.tried12
	d.resumed12 -= a.resumed12
	d.tried13 -= a.tried13
	d.resumed13 -= a.resumed13
	d.bulkBytes -= a.bulkBytes
	d.skipped -= a.skipped
	return d
}

func sum(v [nKinds]int64) (n int64) {
	for _, x := range v {
		n += x
	}
	return
}

func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[int(float64(len(v)-1)*p)]
}

func mib(kb int64) string {
	if kb < 0 {
		return "?"
	}
	return fmt.Sprintf("%.1f", float64(kb)/1024)
}

var csvCols = []string{"phase", "t_s", "rss_kb", "heap_after_gc_kb", "heap_committed_kb", "metaspace_kb", "fds", "sockets",
	"threads", "client_open", "ops", "ok", "fail", "skipped", "resumed_tls13", "resume_tls13", "resumed_tls12", "resume_tls12",
	"bulk_bytes", "hs_p50_ms", "hs_p99_ms"}

func csvRow(s sample) string {
	d := s.d
	f := []string{s.phase, fmt.Sprintf("%.0f", s.t), i64(s.rssKB), i64(s.heapKB), i64(s.heapCommKB), i64(s.metaKB), i64(s.fds),
		i64(s.socks), i64(s.threads), i64(s.open), i64(sum(d.ok) + sum(d.fail)), i64(sum(d.ok)), i64(sum(d.fail)), i64(d.skipped),
		i64(d.resumed13), i64(d.tried13), i64(d.resumed12), i64(d.tried12), i64(d.bulkBytes),
		fmt.Sprintf("%.2f", pct(d.hsMillis, 0.5)), fmt.Sprintf("%.2f", pct(d.hsMillis, 0.99))}
	for k := kind(0); k < nKinds; k++ {
		f = append(f, i64(d.ok[k]), i64(d.fail[k]))
	}
	return strings.Join(f, ",")
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

const tableHead = "  phase    t s  RSS MiB heapGC MiB meta MiB   fds socks thr  open   ops/s      ok  fail  res13% res12%  hs p50/p99 ms\n"

func tableRow(s sample, secs float64) string {
	d := s.d
	ops := sum(d.ok) + sum(d.fail)
	rate := 0.0
	if secs > 0 {
		rate = float64(ops) / secs
	}
	r := func(a, b int64) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", 100*float64(a)/float64(b))
	}
	line := fmt.Sprintf("  %-7s %4.0f %8s %10s %8s %5d %5d %3d %5d %7.1f %7d %5d %6s %6s  %6.1f / %-6.1f\n", s.phase, s.t, mib(s.rssKB),
		mib(s.heapKB), mib(s.metaKB), s.fds, s.socks, s.threads, s.open, rate, sum(d.ok), sum(d.fail), r(d.resumed13, d.tried13),
		r(d.resumed12, d.tried12), pct(d.hsMillis, 0.5), pct(d.hsMillis, 0.99))
	for k := kind(0); k < nKinds; k++ {
		if d.fail[k] > 0 {
			line += fmt.Sprintf("           %d %s failed, e.g. %s\n", d.fail[k], kindNames[k], d.firstErr[k])
		}
	}
	if d.skipped > 0 {
		line += fmt.Sprintf("           %d ticks skipped: %d operations already in flight\n", d.skipped, *maxInFlight)
	}
	return line
}

// ---- main ----

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "soak:", err)
	exit(2)
}

func exit(code int) {
	if jcmdFile != "" {
		os.Remove(jcmdFile)
	}
	os.Exit(code)
}

func main() {
	flag.Parse()
	if *addr == "" || *pid == 0 {
		fatal(errors.New("-addr and -pid are required"))
	}
	if *rate <= 0 || *every <= 0 || *holdMax < *holdMin {
		fatal(errors.New("-rate and -sample must be positive, -hold-max at least -hold-min"))
	}
	if *seed == 0 {
		*seed = time.Now().UnixNano()
	}
	rand.Seed(*seed)
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			fatal(err)
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	configs()
	if !alive() {
		fatal(fmt.Errorf("no process %d", *pid))
	}
	var csv *os.File
	if *csvPath != "" {
		var err error
		if csv, err = os.Create(*csvPath); err != nil {
			fatal(err)
		}
		defer csv.Close()
		head := append([]string{}, csvCols...)
		for _, n := range kindNames {
			head = append(head, n+"_ok", n+"_fail")
		}
		fmt.Fprintln(csv, strings.Join(head, ","))
	}
	emit := func(s sample, secs float64) {
		fmt.Fprint(out, tableRow(s, secs))
		if csv != nil {
			fmt.Fprintln(csv, csvRow(s))
		}
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)

	fmt.Fprintf(out, "soak %s: %v at %g ops/s + %d idle connections held %v-%v; a sample every %v; server pid %d at %s\n", *name,
		*duration, *rate, *idleN, *holdMin, *holdMax, *every, *pid, *addr)
	fmt.Fprint(out, tableHead)
	base := sample{phase: "base"}
	probe(&base)
	emit(base, 0)

	// Priming: a few seconds of the mix, then every client gone. What the server opens lazily on first use
	// (pollers, carrier threads, caches) exists from here on, so the end is compared with this exactly.
	primed := base
	if *prime > 0 {
		pctx, pstop := context.WithCancel(context.Background())
		var pwg sync.WaitGroup
		pwg.Add(1)
		go func() { defer pwg.Done(); drive(pctx, &pwg) }()
		sleepCtx(pctx, *prime)
		stopAndDrain(pstop, &pwg, base.socks, 30*time.Second)
		primed = sample{phase: "primed", d: snap()}
		probe(&primed)
		emit(primed, prime.Seconds())
	}

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); holdIdle(ctx, &wg) }()
	go func() { defer wg.Done(); drive(ctx, &wg) }()
	start := time.Now()
	prev, prevT := snap(), start
	var samples []sample
	interrupted, died := false, false
	end := time.NewTimer(*duration)
	tick := time.NewTicker(*every)
loop:
	for {
		select {
		case <-end.C:
			break loop
		case <-sigs:
			interrupted = true
			break loop
		case <-tick.C:
		}
		if !alive() {
			died = true
			break loop
		}
		s := sample{phase: "load"}
		probe(&s)
		cur, now := snap(), time.Now()
		s.t, s.d = now.Sub(start).Seconds(), diff(prev, cur)
		emit(s, now.Sub(prevT).Seconds())
		samples = append(samples, s)
		prev, prevT = cur, now
	}
	tick.Stop()
	loadEnd := time.Now()
	var drained *sample
	limit := 30 * time.Second
	if interrupted {
		limit = 3 * time.Second
	}
	stopAndDrain(stop, &wg, primed.socks, limit)
	if !died && alive() {
		s := sample{phase: "drained"}
		probe(&s)
		cur, now := snap(), time.Now()
		s.t, s.d = now.Sub(start).Seconds(), diff(prev, cur)
		emit(s, loadEnd.Sub(prevT).Seconds())
		drained = &s
	} else {
		died = true
	}
	summary, bad := summarize(primed, samples, drained, interrupted, died, loadEnd.Sub(start))
	fmt.Fprint(out, summary)
	if *sumPath != "" {
		os.WriteFile(*sumPath, []byte(summary), 0o644)
	}
	if interrupted {
		exit(130)
	}
	if bad {
		exit(1)
	}
	exit(0)
}

// summarize compares the first sample at or after the warm-up with the last sample under load, and the server
// once every client is gone (drained) with the server after priming.
func summarize(primed sample, samples []sample, drained *sample, interrupted, died bool, ran time.Duration) (string, bool) {
	var b strings.Builder
	var total snapshot
	all := samples
	if drained != nil {
		all = append(all[:len(all):len(all)], *drained)
	}
	for _, s := range all {
		for k := kind(0); k < nKinds; k++ {
			total.ok[k] += s.d.ok[k]
			total.fail[k] += s.d.fail[k]
		}
		total.skipped += s.d.skipped
		total.tried12 += s.d.tried12
		total.resumed12 += s.d.resumed12
		total.tried13 += s.d.tried13
		total.resumed13 += s.d.resumed13
		total.bulkBytes += s.d.bulkBytes
	}
	fmt.Fprintf(&b, "\nsummary %s: %v under load; %d operations, %d failed, %d ticks skipped; %.0f MiB echoed in bulk\n", *name,
		ran.Round(time.Second), sum(total.ok)+sum(total.fail), sum(total.fail), total.skipped, float64(total.bulkBytes)/(1<<20))
	b.WriteString("  by kind (ok/failed):")
	for k := kind(0); k < nKinds; k++ {
		fmt.Fprintf(&b, " %s %d/%d", kindNames[k], total.ok[k], total.fail[k])
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  resumed: TLS 1.3 %d of %d, TLS 1.2 %d of %d\n", total.resumed13, total.tried13, total.resumed12, total.tried12)
	st.mu.Lock()
	type ec struct {
		m string
		n int
	}
	var errs []ec
	for m, n := range st.errs {
		errs = append(errs, ec{m, n})
	}
	st.mu.Unlock()
	sort.Slice(errs, func(i, j int) bool { return errs[i].n > errs[j].n })
	for i, e := range errs {
		if i == 8 {
			fmt.Fprintf(&b, "  ... %d more kinds of failure\n", len(errs)-i)
			break
		}
		fmt.Fprintf(&b, "  %5d x %s\n", e.n, e.m)
	}

	var growing []string
	row := func(label, a, z, change, lim string, grew bool, what string) {
		mark := ""
		if grew {
			mark = "  <- GROWING"
			growing = append(growing, what)
		}
		fmt.Fprintf(&b, "  %-30s %12s %12s %10s   %s%s\n", label, a, z, change, lim, mark)
	}
	// kb: growing when the rise exceeds pct % of the first value and floor MiB
	kb := func(label string, a, z int64, pctv, floor float64) {
		if a < 0 || z < 0 {
			row(label, "?", "?", "", "", false, "")
			return
		}
		limit := float64(a) * pctv / 100
		if limit < floor*1024 {
			limit = floor * 1024
		}
		f := func(v int64) string { return fmt.Sprintf("%.1f", float64(v)/1024) }
		row(label, f(a), f(z), fmt.Sprintf("%+.1f", float64(z-a)/1024), fmt.Sprintf("%g%% and %g MiB", pctv, floor),
			float64(z-a) > limit, fmt.Sprintf("%s from %s to %s", strings.TrimSpace(label), f(a), f(z)))
	}
	count := func(label string, a, z, slack int64) {
		row(label, i64(a), i64(z), fmt.Sprintf("%+d", z-a), i64(slack), z-a > slack,
			fmt.Sprintf("%s from %d to %d", strings.TrimSpace(label), a, z))
	}

	var warm, last *sample
	for i := range samples {
		if warm == nil && samples[i].t >= warmup.Seconds()-1 {
			warm = &samples[i]
		}
	}
	if len(samples) > 0 {
		last = &samples[len(samples)-1]
	}
	if warm != nil && last != nil && warm != last {
		fmt.Fprintf(&b, "  %-30s %12s %12s %10s   %s\n", "under load", fmt.Sprintf("t=%.0fs", warm.t),
			fmt.Sprintf("t=%.0fs", last.t), "change", "growing when the rise exceeds")
		kb("heap after GC MiB", warm.heapKB, last.heapKB, *heapPct, *heapMiB)
		kb("RSS MiB", warm.rssKB, last.rssKB, *rssPct, *rssMiB)
		kb("metaspace MiB", warm.metaKB, last.metaKB, 10, *metaMiB)
		// Descriptors follow the connections open at that moment: take away the client's open connections at
		// the descriptors each of them cost at the warm-up sample (1 on sun and bc: the socket).
		per := 0.0
		if warm.open > 0 {
			per = float64(warm.fds-primed.fds) / float64(warm.open)
		}
		net := func(s *sample) int64 { return s.fds - int64(per*float64(s.open)+0.5) }
		slack := *fdSlack
		if s2 := warm.fds / 50; s2 > slack {
			slack = s2
		}
		row("fds", i64(warm.fds), i64(last.fds), fmt.Sprintf("%+d", last.fds-warm.fds), "", false, "")
		row("  client connections open", i64(warm.open), i64(last.open), fmt.Sprintf("%+d", last.open-warm.open), "", false, "")
		count(fmt.Sprintf("  fds less %.2f per connection", per), net(warm), net(last), slack)
		count("threads", warm.threads, last.threads, *thrSlack)
	} else if !died && !interrupted {
		b.WriteString("  too short to compare under load: no sample after the warm-up but the last\n")
	}
	if drained != nil {
		fmt.Fprintf(&b, "  %-30s %12s %12s %10s   %s\n", "every client gone", "primed", "drained", "change", "growing when the rise exceeds")
		count("sockets", primed.socks, drained.socks, 0)
		count("fds", primed.fds, drained.fds, 2)
		count("threads", primed.threads, drained.threads, *thrSlack)
		kb("heap after GC MiB", primed.heapKB, drained.heapKB, *heapPct, *heapMiB)
	}
	var v string
	switch {
	case died:
		v = "SERVER DIED"
	case len(growing) > 0:
		v = "GROWING: " + strings.Join(growing, "; ")
	case interrupted:
		v = "interrupted (flat so far)"
	default:
		v = "flat"
	}
	fmt.Fprintf(&b, "verdict %s: %s\n", *name, v)
	return b.String(), v != "flat" || sum(total.fail) > 0 || total.skipped > 0
}
