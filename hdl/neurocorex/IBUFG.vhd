-- Behavioural stand-in for the UNISIM primitive IBUFG that NeuroCoreX's
-- clock_divider.vhd declares as a component: a clock buffer, so O follows I
-- with no delay.
library ieee;
use ieee.std_logic_1164.all;

entity IBUFG is
  port (
    I : in  std_logic;
    O : out std_logic
  );
end entity IBUFG;

architecture behavioural of IBUFG is
begin
  O <= I;
end architecture behavioural;
