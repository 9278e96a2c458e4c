"""Blink the newsroom's USB light when a breaking article arrives."""
import serial
import zmq


def main(port: str = "/dev/ttyUSB0", endpoint: str = "tcp://127.0.0.1:5555") -> None:
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.connect(endpoint)
    sub.setsockopt_string(zmq.SUBSCRIBE, "breaking")
    with serial.Serial(port, 9600, timeout=1) as light:
        while True:
            topic, _, payload = sub.recv_string().partition(" ")
            light.write(b"B" if topic == "breaking" else b"0")
            print(payload)


if __name__ == "__main__":
    main()
