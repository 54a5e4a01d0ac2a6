#!/usr/bin/env bash
# Makes the demo's sample announcements: short Vietnamese texts of the
# ward's 2026 CCHC communication plan, spoken by espeak-ng's Vietnamese
# voice and encoded as small mono MP3s (what a ward's recordings look like).
# Needs espeak-ng and lame (Debian packages). The files are committed; the
# demo embeds them, so this script is only rerun to change them.
set -euo pipefail
cd "$(dirname "$0")/audio"
say() { # name text
	espeak-ng -v vi -s 150 -w "/tmp/$1.wav" "$2"
	lame --quiet -m m -b 40 --resample 22.05 "/tmp/$1.wav" "$1.mp3"
	rm "/tmp/$1.wav"
}
say dvc-truc-tuyen "Thông báo của Ủy ban nhân dân phường. Từ ngày một tháng mười hai, người dân có thể nộp hồ sơ đăng ký khai sinh, đăng ký thường trú trên Cổng dịch vụ công quốc gia, không phải đến trụ sở. Mọi thắc mắc xin liên hệ bộ phận một cửa của phường."
say vneid "Đề nghị bà con chưa kích hoạt tài khoản định danh điện tử mức hai trên ứng dụng VNeID đến Công an phường để được hướng dẫn. Tài khoản VNeID giúp nộp hồ sơ và thanh toán trực tuyến nhanh chóng."
say mot-cua "Bộ phận tiếp nhận và trả kết quả của phường làm việc từ thứ hai đến sáng thứ bảy. Sáng từ bảy giờ ba mươi đến mười một giờ ba mươi, chiều từ một giờ ba mươi đến năm giờ."
say papi "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh PAPI phản ánh trải nghiệm của người dân. Mỗi ý kiến đóng góp của bà con giúp chính quyền phục vụ tốt hơn."
say ket-qua-cchc "Trong quý ba, phường đã giải quyết đúng hạn chín mươi tám phần trăm hồ sơ thủ tục hành chính. Phường tiếp tục rút ngắn thời gian giải quyết và công khai tiến độ trên cổng thông tin."
say tiem-chung "Trạm y tế phường tổ chức tiêm chủng mở rộng cho trẻ em vào sáng thứ năm tuần này. Đề nghị các gia đình đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng."
say ve-sinh "Hưởng ứng phong trào xanh, sạch, đẹp, sáng chủ nhật các tổ dân phố ra quân tổng vệ sinh đường phố và khơi thông cống rãnh."
say bao "Thông báo khẩn. Bão số năm đang tiến gần đất liền. Đề nghị bà con chằng chống nhà cửa, không ra khỏi nhà khi không cần thiết, theo dõi thông tin trên loa truyền thanh."
say nhac-hieu "Đài truyền thanh phường xin kính chào quý vị và các bạn."
