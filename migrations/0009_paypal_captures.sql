-- The gateway's capture that paid an order (PayPal), so a refund event that
-- names only the capture finds its order however the payment was recorded.
ALTER TABLE orders ADD COLUMN gateway_capture_id TEXT;
CREATE UNIQUE INDEX orders_gateway_capture ON orders (gateway, gateway_capture_id) WHERE gateway_capture_id IS NOT NULL;
