// fair: connections that each echo as fast as they can through one TLS echo server; prints how evenly the server
// shares its time: the longest any connection waited for echoed bytes, and the slowest connection's rate.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9556", "echo server (loopback)")
	conns := flag.Int("conns", 64, "connections")
	dur := flag.Duration("duration", 10*time.Second, "measured window")
	warm := flag.Duration("warmup", 4*time.Second, "unmeasured start")
	predial := flag.Bool("predial", false, "make every connection before any sends")
	linger := flag.Duration("linger", 0, "on a failed dial, keep the other connections busy this long before exiting")
	flag.Parse()
	cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS13}
	type st struct {
		rx     atomic.Int64
		maxGap atomic.Int64
	}
	stats := make([]*st, *conns)
	var measuring, stop atomic.Bool
	var wg sync.WaitGroup
	chunk := make([]byte, 16384)
	start := make(chan struct{})
	if !*predial {
		close(start)
	}
	for i := 0; i < *conns; i++ {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", *addr, cfg)
		if err != nil {
			fmt.Printf("connection %d of %d: %v\n", i+1, *conns, err)
			time.Sleep(*linger)
			os.Exit(1)
		}
		s := &st{}
		stats[i] = s
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			for !stop.Load() {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			buf := make([]byte, 65536)
			last := time.Now()
			for !stop.Load() {
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				now := time.Now()
				if measuring.Load() {
					s.rx.Add(int64(n))
					if g := now.Sub(last).Microseconds(); g > s.maxGap.Load() {
						s.maxGap.Store(g)
					}
				}
				last = now
			}
		}()
	}
	if *predial {
		close(start)
	}
	time.Sleep(*warm)
	measuring.Store(true)
	time.Sleep(*dur)
	measuring.Store(false)
	stop.Store(true)
	gaps := make([]int64, 0, *conns)
	rates := make([]float64, 0, *conns)
	var total float64
	for _, s := range stats {
		gaps = append(gaps, s.maxGap.Load())
		r := float64(s.rx.Load()) / 1e6 / dur.Seconds()
		rates = append(rates, r)
		total += r
	}
	sort.Slice(gaps, func(a, b int) bool { return gaps[a] < gaps[b] })
	sort.Float64s(rates)
	fmt.Printf("%d conns: %.0f MB/s echoed; longest wait for echoed bytes: median conn %d ms, worst conn %d ms; slowest conn %.2f MB/s (fair share %.2f)\n",
		*conns, total, gaps[len(gaps)/2]/1000, gaps[len(gaps)-1]/1000, rates[0], total/float64(*conns))
	os.Exit(0)
}
