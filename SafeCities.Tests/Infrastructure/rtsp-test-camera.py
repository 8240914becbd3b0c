#!/usr/bin/env python3
"""A camera for the tests: GStreamer's RTSP server (Debian: gir1.2-gst-rtsp-server-1.0) serving a moving H.264 test pattern at
rtsp://127.0.0.1:PORT/cam. ffmpeg cannot serve RTSP itself (its -rtsp_flags listen is for receiving), so this plays the camera.
Prints "ready" once listening and the stream is prepared; stops on SIGTERM or when stdin closes.

The shared stream is prepared here, before "ready", and held prepared for the camera's life (GstRTSPMedia counts its prepares): left
to the clients, the first one's DESCRIBE prepares it while others arrive, and the last one to leave unprepares it while the next
arrives — under load, ffmpeg then met "503 Service Unavailable" or "Invalid data found when processing input" from a camera that
had just said ready (four recordings started at once by the evidence tests)."""
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import Gst, GstRtsp, GstRtspServer, GLib

Gst.init(None)
port = sys.argv[1]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1 "
                   "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! video/x-h264,profile=baseline "
                   "! rtph264pay name=pay0 pt=96 config-interval=1 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    sys.exit("could not listen on port " + port)
_, url = GstRtsp.RTSPUrl.parse("rtsp://127.0.0.1:%s/cam" % port)
media = factory.construct(url)  # the shared factory keeps it: clients of /cam get this media
thread = server.get_thread_pool().get_thread(GstRtspServer.RTSPThreadType.MEDIA, GstRtspServer.RTSPContext())
if not media.prepare(thread) or media.get_status() != GstRtspServer.RTSPMediaStatus.PREPARED:
    sys.exit("could not prepare the test stream")
loop = GLib.MainLoop()
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT, GLib.IO_HUP | GLib.IO_IN,
                  lambda *_: (loop.quit(), False)[1])
print("ready", flush=True)
loop.run()
