-- Behavioural stand-in for the Vivado clocking wizard "clk_wiz_0" of NeuroCoreX
-- (12 MHz clk_in1 -> 100 MHz clk_out1, no reset and no locked port).
--
-- Modelling choice: clk_out1 is a free-running 10 ns clock that starts at time
-- 0 and does not follow clk_in1's edges. The MMCM output is phase-locked to
-- its input, but nothing else in the design uses the 12 MHz clock and there is
-- no reset or locked signal, so only the output period is observable; not
-- toggling the 12 MHz input saves a third of the simulator's clock events. The
-- MMCM's lock time after configuration is not modelled: the design's registers
-- start from their initial values either way.
library ieee;
use ieee.std_logic_1164.all;

entity clk_wiz_0 is
  port (
    clk_in1  : in  std_logic;
    clk_out1 : out std_logic
  );
end entity clk_wiz_0;

architecture behavioural of clk_wiz_0 is
  signal clk : std_logic := '0';
begin
  clk <= not clk after 5 ns;
  clk_out1 <= clk;
end architecture behavioural;
