# Display drivers written on framebuf.FrameBuffer.
