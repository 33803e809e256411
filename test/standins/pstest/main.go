// Command pstest-server runs Google's in-memory Pub/Sub fake (pstest) as a
// standalone gRPC server on a loopback port, for gw3cx's test tiers.
//
// The packaged pstest has no way to pick a port, so its GServer is registered
// on a grpc.Server of our own. It also rejects subscriptions created without an
// ack deadline (the client then retries for a minute); an interceptor fills in
// the real service's default of 10 seconds.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"cloud.google.com/go/pubsub/pstest"
	pb "google.golang.org/genproto/googleapis/pubsub/v1"
	"google.golang.org/grpc"
)

func defaultAckDeadline(ctx context.Context, req interface{}, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (interface{}, error) {
	if sub, ok := req.(*pb.Subscription); ok && sub.AckDeadlineSeconds == 0 {
		sub.AckDeadlineSeconds = 10
	}
	return next(ctx, req)
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on (loopback only in tests)")
	port := flag.Int("port", 0, "port to listen on; 0 picks a free one")
	flag.Parse()

	fake := pstest.NewServer()
	defer fake.Close()

	lis, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatalf("pstest-server: listen: %v", err)
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(defaultAckDeadline))
	pb.RegisterPublisherServer(srv, &fake.GServer)
	pb.RegisterSubscriberServer(srv, &fake.GServer)

	// The launcher waits for this exact line to learn the port.
	fmt.Printf("pstest-server listening on %s\n", lis.Addr().String())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		srv.Stop()
	}()
	if err := srv.Serve(lis); err != nil {
		log.Fatalf("pstest-server: serve: %v", err)
	}
}
