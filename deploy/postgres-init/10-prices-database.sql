-- The official postgres image creates $POSTGRES_DB (notes) on the first start; the price store
-- gets its own database beside it, owned by the same role (README, "Team deployment").
CREATE DATABASE prices;
