"""The order desk: web and WhatsApp orders, the shop's settings and its shipping rate table."""
